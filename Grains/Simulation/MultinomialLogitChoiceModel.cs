using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// Multinomial-logit choice over a slate with a no-click option and position bias.
/// The item in slot k (0-based) gets weight ρ_k·exp(u), with attention ρ_k = (k+1)^(−positionDecay);
/// not clicking gets exp(u₀). A slate is clicked with probability S / (exp(u₀) + S), S = Σ_k ρ_k·exp(u_{slate[k]}),
/// so for any set of items the best order puts the highest utilities in the most-attended slots
/// (rearrangement inequality) and the best slate is the top-k by utility in decreasing order.
/// </summary>
public sealed class MultinomialLogitChoiceModel
{
    private readonly double[] _attention;
    private readonly double _noClickUtility;

    public MultinomialLogitChoiceModel(double noClickUtility, double positionDecay, int maxSlots)
    {
        _noClickUtility = noClickUtility;
        _attention = new double[maxSlots];
        for (var k = 0; k < maxSlots; k++) _attention[k] = Math.Pow(k + 1, -positionDecay);
    }

    public static MultinomialLogitChoiceModel From(ChoiceSpec spec, int slateSize) => new(spec.NoClickUtility, spec.PositionDecay, slateSize);

    public double NoClickUtility => _noClickUtility;

    /// <summary>Attention weight of slot k.</summary>
    public double Attention(int slot) => _attention[slot];

    /// <summary>
    /// Fills <paramref name="probabilities"/> (length slate+1) with P(click slot k) for k &lt; slate.Length
    /// and P(no click) last. They sum to 1.
    /// </summary>
    public void Probabilities(ReadOnlySpan<float> utilities, ReadOnlySpan<int> slate, Span<double> probabilities)
    {
        // Shift by the largest utility in play so exp never overflows.
        var shift = _noClickUtility;
        foreach (var item in slate) shift = Math.Max(shift, utilities[item]);
        var noClick = Math.Exp(_noClickUtility - shift);
        var total = noClick;
        for (var k = 0; k < slate.Length; k++)
        {
            var w = _attention[k] * Math.Exp(utilities[slate[k]] - shift);
            probabilities[k] = w;
            total += w;
        }
        for (var k = 0; k < slate.Length; k++) probabilities[k] /= total;
        probabilities[slate.Length] = noClick / total;
    }

    /// <summary>Exact probability that the slate is clicked at all.</summary>
    public double ExpectedClick(ReadOnlySpan<float> utilities, ReadOnlySpan<int> slate)
    {
        var shift = _noClickUtility;
        foreach (var item in slate) shift = Math.Max(shift, utilities[item]);
        double s = 0;
        for (var k = 0; k < slate.Length; k++) s += _attention[k] * Math.Exp(utilities[slate[k]] - shift);
        return s / (Math.Exp(_noClickUtility - shift) + s);
    }

    /// <summary>
    /// Draws the choice by inverting the CDF at <paramref name="uniform"/>: the same uniform in two arms
    /// picks comparable outcomes (common random numbers). Returns the clicked slot, or −1 for no click.
    /// </summary>
    public int Choose(ReadOnlySpan<float> utilities, ReadOnlySpan<int> slate, double uniform)
    {
        Span<double> p = stackalloc double[slate.Length + 1];
        Probabilities(utilities, slate, p);
        // Slot order first, no-click last: the uniform maps to the same region in every arm.
        double cumulative = 0;
        for (var k = 0; k < slate.Length; k++)
        {
            cumulative += p[k];
            if (uniform < cumulative) return k;
        }
        return -1;
    }

    /// <summary>The slate with the highest click probability: top-k items by utility, best first.</summary>
    public static void OracleSlate(ReadOnlySpan<float> utilities, Span<int> slate) => TopK.Select(utilities, slate);

    /// <summary>
    /// Normalised DCG of the slate against the true-utility ranking. An item's gain is its click
    /// probability when shown alone against the no-click option, σ(u − u₀), which grows with utility,
    /// so the ideal ordering is again the top-k by utility.
    /// </summary>
    public double Ndcg(ReadOnlySpan<float> utilities, ReadOnlySpan<int> slate, ReadOnlySpan<int> oracleSlate)
    {
        double dcg = 0, ideal = 0;
        for (var k = 0; k < slate.Length; k++)
        {
            var discount = 1 / Math.Log2(k + 2);
            dcg += Gain(utilities[slate[k]]) * discount;
            ideal += Gain(utilities[oracleSlate[k]]) * discount;
        }
        return ideal > 0 ? dcg / ideal : 0;
    }

    private double Gain(double utility) => 1 / (1 + Math.Exp(_noClickUtility - utility));
}
