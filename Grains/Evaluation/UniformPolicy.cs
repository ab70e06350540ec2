namespace MultiAgentRec.Evaluation;

/// <summary>The uniform-random policy: every item with probability 1/K at every slot.</summary>
public static class UniformPolicy
{
    /// <summary>Per row × item (row-major): π(a | x, k) at the row's logged slot.</summary>
    public static double[] ActionProbabilities(BanditFeedback log)
    {
        var p = new double[log.Rows * log.Items];
        Array.Fill(p, 1.0 / log.Items);
        return p;
    }
}
