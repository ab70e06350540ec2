using MultiAgentRec.Agents;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using static TorchSharp.torch;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// Offline learners judged by the simulator's truth: the exact expected click rate of the learned
/// policy on the logged users, Σᵣ Σₐ π(a|xᵣ)·q(xᵣ,a) / n. No estimator and no sampling is involved,
/// and training is deterministic, so the comparison with the uniform policy needs no margin.
/// </summary>
public sealed class OfflineLearnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-learner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double TrueValue(ReinforcePolicyNetwork network, BanditFeedback log, World world)
    {
        var featureSize = ReinforcePolicyNetwork.FeatureSize(world);
        var features = new float[log.Rows * featureSize];
        for (var r = 0; r < log.Rows; r++)
            for (var j = 0; j < log.Context[r].Count; j++) features[r * featureSize + log.Context[r].Indices[j]] = (float)log.Context[r].Values[j];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pi = nn.functional.softmax(network.forward(tensor(features).reshape(log.Rows, featureSize)), 1).data<float>().ToArray();
        double value = 0;
        for (var k = 0; k < pi.Length; k++) value += pi[k] * log.ExpectedReward![k];
        return value / log.Rows;
    }

    [Theory]
    [InlineData(OfflineReinforceTraining.Reinforce)]
    [InlineData(OfflineReinforceTraining.Ipw)]
    public void Offline_learner_beats_the_uniform_policy_on_the_logged_users_true_click_rate(string learner)
    {
        var spec = TestScenarios.Parse(TestScenarios.OneSlotReinforce);
        var world = new World(spec);
        var log = BanditFeedbackReader.Read(SimulatedInteractionLog.Write(spec, 6000, new SimulatedInteractionLog.LoggingPolicy(), _dir));
        var uniform = log.ExpectedReward!.Average();
        var (network, steps, loss) = OfflineReinforceTraining.Train(world, spec.Agents[0], log, learner, epochs: 10, minibatchSize: 512);
        using (network)
        {
            Assert.True(steps > 0 && double.IsFinite(loss));
            var learned = TrueValue(network, log, world);
            Assert.True(learned > uniform, $"{learner}: true click rate {learned:F4} not above uniform's {uniform:F4}");
        }
    }
}
