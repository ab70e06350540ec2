namespace MultiAgentRec.Simulation;

/// <summary>What one user step produced (the user grain turns it into a StepOutcome message).</summary>
public readonly record struct StepResult(int ClickedPosition, float Engagement, double ExpectedClick, double OracleExpectedClick, double Ndcg, bool SessionEnded);

/// <summary>
/// One simulated user: latent interests drawn around a segment centroid, an observable noisy profile,
/// per-topic boredom and a session time budget. Every random draw is keyed by (seed, user, round or
/// session), so the same user index behaves identically in every arm given the same slates.
/// </summary>
public sealed class SimulatedUser
{
    private const int RecentCapacity = 5;
    private static readonly ulong ChoiceKey = SimRandom.Key("choice");
    private static readonly ulong SessionKey = SimRandom.Key("session");
    private static readonly ulong UserKey = SimRandom.Key("user");

    private readonly World _world;
    private readonly float[] _interest;
    private readonly float[] _boredom;
    private readonly float[] _utilities;
    private readonly int[] _oracle;
    private readonly List<int> _recent = new(RecentCapacity);

    public int Index { get; }
    public int Segment { get; }
    public float[] Profile { get; }
    public double Budget { get; private set; }
    public int Session { get; private set; }
    public ReadOnlySpan<float> Interest => _interest;
    public int SlateSize => _oracle.Length;

    public SimulatedUser(World world, int index)
    {
        _world = world;
        Index = index;
        var spec = world.Spec.Users;
        int d = world.Catalog.Dim;
        var rng = SimRandom.For(world.Seed, UserKey, (ulong)index);
        Segment = rng.NextInt(spec.Segments);
        _interest = new float[d];
        Profile = new float[d];
        var centroid = world.Centroids.AsSpan(Segment * d, d);
        // Per-coordinate noise of sd spread/√d puts the deviation's norm near `spread`.
        var perCoordinate = 1 / Math.Sqrt(d);
        for (var j = 0; j < d; j++) _interest[j] = centroid[j] + (float)(spec.InterestSpread * perCoordinate * rng.NextGaussian());
        for (var j = 0; j < d; j++) Profile[j] = _interest[j] + (float)(spec.ProfileNoise * perCoordinate * rng.NextGaussian());
        _boredom = new float[world.Catalog.Topics];
        _utilities = new float[world.Catalog.Count];
        _oracle = new int[world.SlateSize];
        Budget = DrawBudget(0);
    }

    public IReadOnlyList<int> RecentClicks => _recent;

    /// <summary>True utility of every item now: scale·⟨interest, embedding⟩ + quality − boredom·⟨boredom, topics⟩.</summary>
    public ReadOnlySpan<float> Utilities()
    {
        var c = _world.Catalog;
        var choice = _world.Spec.Choice;
        float scale = (float)choice.UtilityScale, bw = (float)choice.BoredomWeight;
        int d = c.Dim, t = c.Topics;
        var interest = _interest.AsSpan();
        var boredom = _boredom.AsSpan();
        var anyBoredom = false;
        foreach (var b in boredom) anyBoredom |= b != 0;
        for (var i = 0; i < c.Count; i++)
        {
            var e = c.Embeddings.AsSpan(i * d, d);
            float dot = 0;
            for (var j = 0; j < d; j++) dot += interest[j] * e[j];
            var u = scale * dot + c.Quality[i];
            if (anyBoredom)
            {
                var topics = c.TopicMix.AsSpan(i * t, t);
                float bored = 0;
                for (var k = 0; k < t; k++) bored += boredom[k] * topics[k];
                u -= bw * bored;
            }
            _utilities[i] = u;
        }
        return _utilities;
    }

    /// <summary>The best slate for this user now.</summary>
    public ReadOnlySpan<int> OracleSlate()
    {
        MultinomialLogitChoiceModel.OracleSlate(Utilities(), _oracle);
        return _oracle;
    }

    /// <summary>
    /// Shows the user a slate (or, when <paramref name="slate"/> is empty, its oracle slate), draws the
    /// choice, and evolves interests, boredom and the session budget.
    /// </summary>
    public StepResult Step(int round, ReadOnlySpan<int> slate, Span<int> shown)
    {
        var model = _world.Choice;
        var utilities = Utilities();
        MultinomialLogitChoiceModel.OracleSlate(utilities, _oracle);
        if (slate.IsEmpty) slate = _oracle;
        slate.CopyTo(shown);

        var expected = model.ExpectedClick(utilities, slate);
        var oracleExpected = model.ExpectedClick(utilities, _oracle);
        var ndcg = model.Ndcg(utilities, slate, _oracle);

        var rng = SimRandom.For(_world.Seed, ChoiceKey, (ulong)Index, (ulong)round);
        var clicked = model.Choose(utilities, slate, rng.NextDouble());
        var engagementNoise = rng.NextGaussian();

        var choice = _world.Spec.Choice;
        for (var k = 0; k < _boredom.Length; k++) _boredom[k] *= (float)choice.BoredomDecay;
        float engagement = 0;
        if (clicked >= 0)
        {
            var item = slate[clicked];
            var u = utilities[item];
            // Watch time grows with how much the user likes the item; log-normal noise with mean 1.
            var sigma = choice.EngagementNoise;
            engagement = (float)((1 + Softplus(u)) * Math.Exp(sigma * engagementNoise - sigma * sigma / 2));
            Consume(item, choice.InterestDrift);
        }

        Budget -= 1 + engagement;
        var ended = Budget <= 0;
        if (ended)
        {
            // A new session starts rested: boredom fades between sessions, interests stay.
            Session++;
            Array.Clear(_boredom);
            Budget = DrawBudget(Session);
        }
        return new StepResult(clicked, engagement, expected, oracleExpected, ndcg, ended);
    }

    private void Consume(int item, double drift)
    {
        var c = _world.Catalog;
        var e = c.Embedding(item);
        // Interests move toward what was consumed, keeping their strength (norm) unchanged.
        double norm = 0;
        foreach (var x in _interest) norm += x * x;
        norm = Math.Sqrt(norm);
        for (var j = 0; j < _interest.Length; j++) _interest[j] += (float)(drift * (norm * e[j] - _interest[j]));
        // The convex step shortens the vector unless it already points at the item; rescale so
        // that consumption changes what a user likes, not how strongly.
        double after = 0;
        foreach (var x in _interest) after += x * x;
        if (after > 0)
        {
            var scale = (float)(norm / Math.Sqrt(after));
            for (var j = 0; j < _interest.Length; j++) _interest[j] *= scale;
        }
        var topics = c.Topic(item);
        for (var k = 0; k < _boredom.Length; k++) _boredom[k] += topics[k];
        if (_recent.Count == RecentCapacity) _recent.RemoveAt(0);
        _recent.Add(item);
    }

    private double DrawBudget(int session)
    {
        var spec = _world.Spec.Users;
        var rng = SimRandom.For(_world.Seed, SessionKey, (ulong)Index, (ulong)session);
        return spec.SessionBudgetMin + (spec.SessionBudgetMax - spec.SessionBudgetMin) * rng.NextDouble();
    }

    private static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));
}
