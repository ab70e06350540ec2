using MultiAgentRec.Simulation;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// The reward model q̂(x, a, k) behind DM, DR, SNDR and Switch-DR: a logistic regression of the click on
/// an intercept, one-hot item, one-hot slot, the user features, the user's affinity to the candidate
/// item, and the item's features. The affinity enters only for the candidate: what predicts a click on
/// item a is the user's affinity to a, and the whole affinity vector as main effects would cost K² per
/// row in every Newton step (dense on simulator logs) for signal a linear model cannot use per item. Cross-fitted as in the Open Bandit Pipeline:
/// rows are split into K folds and a row's predictions come from the model fitted on the other folds,
/// so DR's correction term is not biased by the model having seen the row it corrects.
/// </summary>
public sealed class CrossFittedRewardModel
{
    /// <summary>Per row × item (row-major): q̂ for every item at the row's logged slot.</summary>
    public required double[] Predictions { get; init; }
    public required int Folds { get; init; }
    public required int Features { get; init; }

    /// <summary>Mean log-loss of the out-of-fold predictions of the logged actions (lower is better).</summary>
    public required double OutOfFoldLogLoss { get; init; }

    public static CrossFittedRewardModel Fit(BanditFeedback log, int folds, double l2, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        int n = log.Rows, items = log.Items;
        if (n < folds) throw new ArgumentException($"{n} rows cannot be split into {folds} folds");
        var layout = new Layout(log);
        var fold = AssignFolds(n, folds, seed);
        var predictions = new double[n * items];
        for (var f = 0; f < folds; f++)
        {
            var x = new List<SparseVector>();
            var y = new List<double>();
            for (var r = 0; r < n; r++)
            {
                if (fold[r] == f) continue;
                x.Add(layout.Features(r, log.Item[r]));
                y.Add(log.Reward[r]);
            }
            var model = LogisticRegression.Fit(x, y, layout.Dim, l2);
            for (var r = 0; r < n; r++)
            {
                if (fold[r] != f) continue;
                for (var a = 0; a < items; a++) predictions[r * items + a] = model.Predict(layout.Features(r, a));
            }
        }
        double logLoss = 0;
        for (var r = 0; r < n; r++)
        {
            var q = Math.Clamp(predictions[r * items + log.Item[r]], 1e-15, 1 - 1e-15);
            logLoss -= log.Reward[r] * Math.Log(q) + (1 - log.Reward[r]) * Math.Log(1 - q);
        }
        return new CrossFittedRewardModel { Predictions = predictions, Folds = folds, Features = layout.Dim, OutOfFoldLogLoss = logLoss / n };
    }

    /// <summary>Row i goes to fold (rank of i in a seeded shuffle) mod K: equal-sized folds, independent of row order.</summary>
    private static int[] AssignFolds(int n, int folds, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var rng = SimRandom.For(seed, SimRandom.Key("reward-model-folds"));
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var fold = new int[n];
        for (var k = 0; k < n; k++) fold[order[k]] = k % folds;
        return fold;
    }

    /// <summary>Where each group of features sits in the weight vector.</summary>
    private sealed class Layout
    {
        private readonly BanditFeedback _log;
        private readonly int _item, _position, _context, _ownAffinity, _itemFeatures;

        public int Dim { get; }

        public Layout(BanditFeedback log)
        {
            _log = log;
            _item = 1;
            _position = _item + log.Items;
            _context = _position + log.Positions;
            _ownAffinity = _context + log.ContextDim;
            _itemFeatures = _ownAffinity + (log.Affinity is null ? 0 : 1);
            Dim = _itemFeatures + log.ItemFeatureDim;
        }

        public SparseVector Features(int row, int item)
        {
            var context = _log.Context[row];
            var itemFeatures = _log.ItemFeatures[item];
            var count = 3 + context.Count + (_log.Affinity is null ? 0 : 1) + itemFeatures.Count;
            var idx = new int[count];
            var val = new double[count];
            var k = 0;
            Put(0, 1);
            Put(_item + item, 1);
            Put(_position + _log.Position[row], 1);
            for (var j = 0; j < context.Count; j++) Put(_context + context.Indices[j], context.Values[j]);
            if (_log.Affinity is { } affinity) Put(_ownAffinity, affinity[row * _log.Items + item]);
            for (var j = 0; j < itemFeatures.Count; j++) Put(_itemFeatures + itemFeatures.Indices[j], itemFeatures.Values[j]);
            return new SparseVector(idx, val);

            void Put(int index, double value) { idx[k] = index; val[k] = value; k++; }
        }
    }
}
