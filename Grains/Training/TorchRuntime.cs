using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>Loads TorchSharp's native library once, explains failures in one line, and picks devices.</summary>
public static class TorchRuntime
{
    private const string RequiredSymbol = "GLIBCXX_3.4.32";
    private static readonly Lazy<string?> s_probe = new(Probe);

    /// <summary>Null when TorchSharp works here, else one line naming the cause and the fix.</summary>
    public static string? LoadError => s_probe.Value;

    /// <summary>Throws <see cref="TorchUnavailableException"/> when TorchSharp cannot run here.</summary>
    public static void EnsureAvailable()
    {
        if (LoadError is { } error) throw new TorchUnavailableException(error);
    }

    private static string? Probe()
    {
        // When loading fails, TorchSharp writes its whole search trace (dozens of lines) to the
        // console; the user gets our one line instead, so the console is muted while it tries.
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        try
        {
            using var t = ones(1);
            return t.sum().item<float>() == 1 ? null : "TorchSharp loaded but computed a wrong result";
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException or BadImageFormatException)
        {
            return Explain(ex);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private static string Explain(Exception ex)
    {
        if (OperatingSystem.IsLinux() && HostLibStdCxxLacksRequiredSymbol() is { } lib)
            return $"TorchSharp's native library cannot load: {lib} lacks {RequiredSymbol} (Debian 12 and Ubuntu 22.04 ship an older libstdc++). "
                 + "Fix: run the command through eng/modern-runtime.sh -- <command> (README, 'Older Linux'), or use a newer distribution.";
        var inner = ex;
        while (inner.InnerException is not null) inner = inner.InnerException;
        var first = inner.Message.Split('\n', 2)[0].Trim();
        return $"TorchSharp's native library cannot load ({first}). Fix: make sure the TorchSharp-cpu native packages were restored for {RuntimeInformation.RuntimeIdentifier}, or see README, 'Older Linux'.";
    }

    private static string? HostLibStdCxxLacksRequiredSymbol()
    {
        foreach (var path in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" })
        {
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            return bytes.AsSpan().IndexOf("GLIBCXX_3.4.32"u8) >= 0 ? null : path;
        }
        return null;
    }

    /// <summary>
    /// Resolves a trainer device name: "auto" is CUDA when TorchSharp sees a GPU, else CPU; "cuda"
    /// without a GPU is an error the user must see rather than a silent CPU run.
    /// </summary>
    public static Device ResolveDevice(string requested)
    {
        EnsureAvailable();
        return requested switch
        {
            "cpu" => CPU,
            "cuda" when cuda.is_available() => CUDA,
            "cuda" => throw new TorchUnavailableException("trainer.device is 'cuda' but TorchSharp sees no CUDA device here; use 'auto' or 'cpu'."),
            _ => cuda.is_available() ? CUDA : CPU,
        };
    }

    private static int s_threadsSet;

    /// <summary>Sets TorchSharp's intra-op threads once per process (0 keeps the library default).</summary>
    public static void ConfigureThreads(int threads)
    {
        if (threads > 0 && Interlocked.Exchange(ref s_threadsSet, 1) == 0) set_num_threads(threads);
    }
}

/// <summary>TorchSharp cannot run here; the message says why and what to do.</summary>
public sealed class TorchUnavailableException(string message) : Exception(message);
