using MultiAgentRec.Client.Scenarios;

namespace MultiAgentRec.UnitTests;

/// <summary>The trainer's folder keys: libtorch, checkpoint and resume, validated with lines like every key.</summary>
public sealed class TrainerFoldersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-trainer-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ScenarioLoadResult Load(string trainer) =>
        ScenarioLoader.Parse($"name: t\ntrainer:\n{trainer}\narms: [random]\n", Path.Combine(_dir, "t.yaml"));

    [Fact]
    public void Checkpoint_is_resolved_against_the_scenario_folder_and_resume_defaults_to_false()
    {
        var loaded = Load("  checkpoint: ckpt");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(Path.Combine(_dir, "ckpt"), loaded.Spec!.Trainer.Checkpoint);
        Assert.False(loaded.Spec.Trainer.Resume);
        Assert.Null(loaded.Spec.Trainer.Libtorch);
    }

    [Theory]
    [InlineData("  resume: true", "t.yaml:3:11: trainer.resume: resume: true needs trainer.checkpoint")]
    [InlineData("  checkpoint: nowhere\n  resume: true", "t.yaml:4:11: trainer.resume: nothing to resume from")]
    [InlineData("  resume: maybe", "t.yaml:3:11: trainer.resume: unknown value 'maybe' (allowed: true, false)")]
    [InlineData("  libtorch: no-such-folder", "t.yaml:3:13: trainer.libtorch: no such folder")]
    public void Bad_trainer_folder_keys_are_reported_with_their_line(string trainer, string expected)
    {
        var problem = Assert.Single(Load(trainer).Problems);
        Assert.StartsWith(expected, problem.ToString().Replace(_dir + Path.DirectorySeparatorChar, ""));
    }

    [Fact]
    public void A_folder_without_libtorch_libraries_is_named_with_what_it_lacks()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "lib"));
        File.WriteAllText(Path.Combine(_dir, "lib", "libc10.so"), "");
        var problem = Assert.Single(Load("  libtorch: lib").Problems);
        Assert.Contains("lacks libtorch_cpu.so, libtorch.so", problem.ToString());
    }

    [Theory]
    [InlineData("2.6.0+debian", "holds libtorch 2.6 (PyTorch's torch/version.py); TorchSharp")]
    [InlineData("2.11.0+cu130", null)]
    public void A_PyTorch_older_than_TorchSharps_libtorch_is_refused(string version, string? problem)
    {
        var lib = Directory.CreateDirectory(Path.Combine(_dir, "torch", "lib")).FullName;
        foreach (var file in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllText(Path.Combine(lib, file), "");
        File.WriteAllText(Path.Combine(_dir, "torch", "version.py"), $"__version__ = '{version}'\n");
        var loaded = Load("  libtorch: torch/lib");
        if (problem is null)
        {
            Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
            Assert.Equal(lib, loaded.Spec!.Trainer.Libtorch);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(loaded.Problems).ToString());
        }
    }
}
