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

    /// <summary>The environment variable that names a libtorch folder for every process that reads none from a scenario (a standalone silo).</summary>
    public const string LibtorchVariable = "MULTIAGENTREC_LIBTORCH";

    /// <summary>
    /// PyTorch's libraries in the order they depend on each other (gpu-machine.md): each is loaded
    /// before the ones that need it, so the dynamic loader resolves every dependency to the copy
    /// already in the process. The CUDA pair is optional: a CPU-only PyTorch has neither.
    /// </summary>
    private static readonly (string File, bool Required)[] LibtorchLibraries =
        [("libc10.so", true), ("libtorch_cpu.so", true), ("libc10_cuda.so", false), ("libtorch_cuda.so", false), ("libtorch.so", true)];

    private static readonly Lock s_libtorchLock = new();
    private static string? s_libtorch;
    private static bool s_libtorchHasCuda;

    /// <summary>The libtorch folder this process loaded, or null for TorchSharp's own CPU build.</summary>
    public static string? Libtorch => s_libtorch;

    /// <summary>Null when <paramref name="folder"/> holds the libraries a libtorch needs, else one line saying what is missing.</summary>
    public static string? LibtorchProblem(string folder)
    {
        if (!Directory.Exists(folder)) return $"no such folder '{folder}'; give the folder holding libtorch.so, e.g. the output of: python3 -c \"import torch,os;print(os.path.dirname(torch.__file__)+'/lib')\"";
        var missing = LibtorchLibraries.Where(l => l.Required && !File.Exists(Path.Combine(folder, l.File))).Select(l => l.File).ToArray();
        if (missing.Length > 0)
            return $"'{folder}' is not a libtorch folder: it lacks {string.Join(", ", missing)} (expected {string.Join(", ", LibtorchLibraries.Select(l => l.File))}, as in a PyTorch install's torch/lib)";
        // TorchSharp's shim calls libtorch's C++ API, which changes between releases: an older libtorch
        // loads and then crashes at the first tensor. A PyTorch install says its version in torch/version.py.
        if (PyTorchVersion(folder) is { } version && version < MinimumLibtorch)
            return $"'{folder}' holds libtorch {version.Major}.{version.Minor} (PyTorch's torch/version.py); TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} needs {MinimumLibtorch.Major}.{MinimumLibtorch.Minor} or newer";
        return null;
    }

    /// <summary>The libtorch TorchSharp 0.107 is built against (2.10); PyTorch 2.11's ran it on CUDA (gpu-machine.md).</summary>
    private static readonly Version MinimumLibtorch = new(2, 10);

    private static Version? PyTorchVersion(string folder)
    {
        var file = Path.Combine(folder, "..", "version.py");
        if (!File.Exists(file)) return null;
        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(file), @"__version__\s*=\s*['""](\d+)\.(\d+)");
        return match.Success ? new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>
    /// Loads the libtorch in <paramref name="folder"/> (or in $MULTIAGENTREC_LIBTORCH when null) in
    /// place of TorchSharp's own, then TorchSharp's shim against it. Must come before TorchSharp's first
    /// use in the process; a second call with the same folder does nothing. Throws
    /// <see cref="TorchUnavailableException"/> with one line when that cannot be done.
    /// </summary>
    public static void UseLibtorch(string? folder)
    {
        folder ??= Environment.GetEnvironmentVariable(LibtorchVariable);
        if (string.IsNullOrWhiteSpace(folder)) return;
        folder = Path.GetFullPath(folder);
        lock (s_libtorchLock)
        {
            if (s_libtorch == folder) return;
            if (s_libtorch is not null || s_probe.IsValueCreated)
                throw new TorchUnavailableException($"libtorch '{folder}' was asked for after TorchSharp had started with {s_libtorch ?? "its own CPU libtorch"}; one process loads one libtorch (set {LibtorchVariable} before it starts)");
            if (LibtorchProblem(folder) is { } problem) throw new TorchUnavailableException(problem);
            // TorchSharp's shim finds its libtorch by name next to itself first: with TorchSharp's own CPU
            // libtorch there, the process would hold two libtorch builds and crash in their static initialisers.
            if (BundledLibtorch() is { } bundled)
                throw new TorchUnavailableException(
                    $"a libtorch folder needs a client without TorchSharp's own CPU libtorch, but {bundled} is there (two libtorch builds in one process crash); build one with eng/gpu-package.sh (README, 'Training on a GPU')");
            foreach (var (file, required) in LibtorchLibraries)
            {
                var path = Path.Combine(folder, file);
                if (!required && !File.Exists(path)) continue;
                Load(path);
                if (file == "libtorch_cuda.so") s_libtorchHasCuda = true;
            }
            if (FindShim() is { } shim) Load(shim);
            s_libtorch = folder;
        }

        static void Load(string path)
        {
            try
            {
                NativeLibrary.Load(path);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new TorchUnavailableException($"cannot load {path} ({e.Message.Split('\n', 2)[0].Trim()}); its own dependencies (CUDA runtime, cuDNN) must be findable, e.g. with LD_LIBRARY_PATH");
            }
        }
    }

    /// <summary>TorchSharp's own CPU libtorch next to the application or in its runtimes folder, or null when it was stripped.</summary>
    private static string? BundledLibtorch()
    {
        var name = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        return new[] { Path.Combine(AppContext.BaseDirectory, name), Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", name) }
            .FirstOrDefault(File.Exists);
    }

    /// <summary>TorchSharp's native shim next to the application (a self-contained publish) or in its runtimes folder.</summary>
    private static string? FindShim()
    {
        var name = OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, name), Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", name) })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static string? Probe()
    {
        try
        {
            UseLibtorchFromEnvironment();
        }
        catch (TorchUnavailableException e)
        {
            return e.Message;
        }

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
        // A PyTorch libtorch brings its CUDA backend in a separate library TorchSharp loads on demand.
        if (s_libtorchHasCuda && requested != "cpu")
        {
            try { InitializeDeviceType(DeviceType.CUDA); }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ExternalException)
            {
                if (requested == "cuda") throw new TorchUnavailableException($"the libtorch in {s_libtorch} has CUDA, but it did not start ({e.Message.Split('\n', 2)[0].Trim()})");
            }
        }
        return requested switch
        {
            "cpu" => CPU,
            "cuda" when cuda.is_available() => CUDA,
            "cuda" => throw new TorchUnavailableException("trainer.device is 'cuda' but TorchSharp sees no CUDA device here; use 'auto' or 'cpu'."),
            _ => cuda.is_available() ? CUDA : CPU,
        };
    }

    // The environment variable is read when the process first touches TorchSharp, unless a scenario's trainer.libtorch came first.
    private static void UseLibtorchFromEnvironment()
    {
        if (s_libtorch is null) UseLibtorch(null);
    }

    private static int s_threads;

    /// <summary>Sets TorchSharp's intra-op threads once per process (0 keeps the library default); the first positive count wins.</summary>
    public static void ConfigureThreads(int threads)
    {
        if (threads > 0) Interlocked.CompareExchange(ref s_threads, threads, 0);
        UseConfiguredThreads();
    }

    /// <summary>
    /// Applies the configured thread count on the calling thread. libtorch's OpenMP thread count is
    /// per OS thread, taken from the global setting when a thread first runs a parallel kernel, so a
    /// pool thread that ran torch before <see cref="ConfigureThreads"/> keeps the library default:
    /// an update must set it on the thread it runs on, or a run's rounding depends on which pool
    /// thread trained it (seen as a solo REINFORCE arm differing between a cluster and an embedded run
    /// with <c>threads: 1</c>).
    /// </summary>
    public static void UseConfiguredThreads()
    {
        var threads = Volatile.Read(ref s_threads);
        if (threads > 0) set_num_threads(threads);
    }
}

/// <summary>TorchSharp cannot run here; the message says why and what to do.</summary>
public sealed class TorchUnavailableException(string message) : Exception(message);
