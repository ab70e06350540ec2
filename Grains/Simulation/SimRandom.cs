using System.Numerics;
using System.Runtime.CompilerServices;

namespace MultiAgentRec.Simulation;

/// <summary>
/// A small, fast, deterministic random stream (xoshiro256**, seeded through SplitMix64).
/// Streams are keyed: <see cref="For(int, ulong, ulong, ulong)"/> gives the same numbers for the same
/// (seed, key...) in every arm and on every silo, which is how arms share common random numbers
/// whatever order grains run in.
/// </summary>
public struct SimRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public SimRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix(ref sm); _s1 = SplitMix(ref sm); _s2 = SplitMix(ref sm); _s3 = SplitMix(ref sm);
        _spareGaussian = 0; _hasSpare = false;
    }

    /// <summary>A stream for a purpose identified by the run seed and up to three keys.</summary>
    public static SimRandom For(int seed, ulong a, ulong b = 0, ulong c = 0) => new(Mix((ulong)(uint)seed, a, b, c));

    /// <summary>Stable 64-bit hash of a string, for keying streams by names (agent ids, arms).</summary>
    public static ulong Key(string text)
    {
        ulong h = 14695981039346656037UL; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var ch in text) { h ^= ch; h *= 1099511628211UL; }
        return h;
    }

    /// <summary>Mixes keys into one seed; order matters.</summary>
    public static ulong Mix(ulong a, ulong b, ulong c = 0, ulong d = 0)
    {
        var x = a;
        x = Avalanche(x ^ (b + 0x9E3779B97F4A7C15UL));
        x = Avalanche(x ^ (c + 0xC2B2AE3D27D4EB4FUL));
        x = Avalanche(x ^ (d + 0x165667B19E3779F9UL));
        return x;
    }

    private static ulong Avalanche(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Avalanche(state);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextULong()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)((NextULong() >> 33) * (ulong)n >> 31);

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f; _hasSpare = true;
        return u * f;
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000), with the shape &lt; 1 boost.</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1)
        {
            var boost = Math.Pow(NextDouble() + double.Epsilon, 1 / shape);
            return NextGamma(shape + 1) * boost;
        }
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            var u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(a, b) as a ratio of gammas.</summary>
    public double NextBeta(double a, double b)
    {
        var x = NextGamma(a);
        var y = NextGamma(b);
        return x / (x + y);
    }
}
