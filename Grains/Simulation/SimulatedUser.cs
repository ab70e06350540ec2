namespace MultiAgentRec.Simulation;

/// <summary>
/// One simulated user: latent interests drawn around a segment centroid, an observable noisy profile,
/// per-topic boredom and a session time budget. Every random draw is keyed by (seed, user, round or
/// session), so the same user index behaves identically in every arm given the same slates.
/// The state is compact and of fixed size (a million users fit in a few hundred MB): nothing here
/// grows with the catalog; a step's catalog-sized utilities live in a caller's buffer.
/// </summary>
public sealed class SimulatedUser
{
    /// <summary>How many recent clicks a user remembers (bounded history).</summary>
    public const int RecentCapacity = 5;
    private static readonly ulong ChoiceKey = SimRandom.Key("choice");
    private static readonly ulong SessionKey = SimRandom.Key("session");
    private static readonly ulong UserKey = SimRandom.Key("user");

    private readonly World _world;
    private readonly float[] _interest;
    private readonly float[] _boredom;
    private readonly int[] _recent = new int[RecentCapacity];
    private int _recentCount;
    private int _recentHead;

    public int Index { get; }
    public int Segment { get; }
    public float[] Profile { get; }
    public double Budget { get; private set; }
    public int Session { get; private set; }
    public ReadOnlySpan<float> Interest => _interest;
    public int SlateSize => _world.SlateSize;

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
        var centroid = world.CentroidsForUser(index).AsSpan(Segment * d, d);
        // Per-coordinate noise of sd spread/√d puts the deviation's norm near `spread`.
        var perCoordinate = 1 / Math.Sqrt(d);
        for (var j = 0; j < d; j++) _interest[j] = centroid[j] + (float)(spec.SpreadOf(Segment) * perCoordinate * rng.NextGaussian());
        for (var j = 0; j < d; j++) Profile[j] = _interest[j] + (float)(spec.ProfileNoiseOf(Segment) * perCoordinate * rng.NextGaussian());
        _boredom = new float[world.Catalog.Topics];
        Budget = DrawBudget(0);
    }

    /// <summary>
    /// A preference shift: the user's latent interests move with its segment's centroid (by
    /// <paramref name="delta"/>), keeping its own deviation; the observable profile stays as it was.
    /// </summary>
    public void ShiftInterest(ReadOnlySpan<float> delta)
    {
        for (var j = 0; j < _interest.Length; j++) _interest[j] += delta[j];
    }

    /// <summary>The last clicked items, oldest first (at most <see cref="RecentCapacity"/>).</summary>
    public int[] RecentClicks
    {
        get
        {
            var result = new int[_recentCount];
            for (var i = 0; i < _recentCount; i++) result[i] = _recent[(_recentHead + i) % RecentCapacity];
            return result;
        }
    }

    /// <summary>
    /// True utility of every item now: scale·⟨interest, embedding⟩ + quality − boredom·⟨boredom, topics⟩,
    /// into the first <c>Catalog.Count</c> entries of <paramref name="utilities"/> (at least
    /// <c>Catalog.PaddedCount</c> long). One pass over the catalog's utility panel: per block of items
    /// a vector accumulator takes quality, then every dimension, then every topic, in that order.
    /// </summary>
    public void Utilities(Span<float> utilities)
    {
        var c = _world.Catalog;
        int rows = c.PanelRows, width = c.PanelWidth;
        if (utilities.Length < c.PaddedCount) throw new ArgumentException($"utilities needs {c.PaddedCount} entries, got {utilities.Length}");
        Span<float> coefficients = rows <= 256 ? stackalloc float[rows] : new float[rows];
        UtilityCoefficients(coefficients);
        VectorMath.PanelProduct(c.UtilityPanel, rows, width, coefficients, utilities[..c.PaddedCount]);
    }

    /// <summary>
    /// The weights of the catalog panel's rows in this user's utilities now: 1 for quality,
    /// scale·interest per dimension, −boredomWeight·boredom per topic. Utilities are the panel
    /// times these (<see cref="VectorMath.PanelProduct"/>), for one user or a batch of them.
    /// </summary>
    public void UtilityCoefficients(Span<float> coefficients)
    {
        var c = _world.Catalog;
        var choice = _world.Spec.Choice;
        float scale = (float)choice.UtilityScale, bw = (float)choice.BoredomWeight;
        coefficients[0] = 1;
        for (var j = 0; j < c.Dim; j++) coefficients[1 + j] = scale * _interest[j];
        for (var k = 0; k < _boredom.Length; k++) coefficients[1 + c.Dim + k] = -bw * _boredom[k];
    }

    /// <summary>True utilities as a new array (for tests and inspection; steps use a scratch buffer).</summary>
    public float[] Utilities()
    {
        var result = new float[_world.Catalog.PaddedCount];
        Utilities(result);
        return result[.._world.Catalog.Count];
    }

    /// <summary>The best slate for this user now.</summary>
    public int[] OracleSlate()
    {
        var slate = new int[SlateSize];
        MultinomialLogitChoiceModel.OracleSlate(Utilities(), slate);
        return slate;
    }

    /// <summary>
    /// Shows the user a slate (or, when <paramref name="slate"/> is empty, its oracle slate), draws the
    /// choice, and evolves interests, boredom and the session budget. Computes the utilities into a
    /// fresh buffer (tests, logs); shards compute them for a batch of users and call the overload below.
    /// </summary>
    public StepResult Step(int round, ReadOnlySpan<int> slate, Span<int> shown) => Step(round, slate, shown, Utilities(), new int[SlateSize]);

    /// <summary>
    /// A step with this user's utilities already computed for its current state (a shard computes
    /// them for a batch of users in one pass over the catalog); <paramref name="oracle"/> is scratch
    /// for the best slate.
    /// </summary>
    public StepResult Step(int round, ReadOnlySpan<int> slate, Span<int> shown, ReadOnlySpan<float> utilities, Span<int> oracle) =>
        Step(round, slate, shown, utilities, oracle, _world.Catalog.Count);

    /// <summary>
    /// A step in a round where only items 0..<paramref name="availableItems"/>−1 exist yet (see
    /// <see cref="ScenarioTimeline"/>): the oracle slate, regret and nDCG are over those items, and
    /// <paramref name="slate"/> must hold only them.
    /// </summary>
    public StepResult Step(int round, ReadOnlySpan<int> slate, Span<int> shown, ReadOnlySpan<float> utilities, Span<int> oracle, int availableItems)
    {
        var model = _world.Choice;
        utilities = utilities[..availableItems];
        MultinomialLogitChoiceModel.OracleSlate(utilities, oracle);
        if (slate.IsEmpty) slate = oracle;
        slate.CopyTo(shown);

        var expected = model.ExpectedClick(utilities, slate);
        var oracleExpected = model.ExpectedClick(utilities, oracle);
        var ndcg = model.Ndcg(utilities, slate, oracle);

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
        // A ring buffer: the oldest click is overwritten once the history is full.
        if (_recentCount < RecentCapacity) _recent[(_recentHead + _recentCount++) % RecentCapacity] = item;
        else { _recent[_recentHead] = item; _recentHead = (_recentHead + 1) % RecentCapacity; }
    }

    private double DrawBudget(int session)
    {
        var spec = _world.Spec.Users;
        var rng = SimRandom.For(_world.Seed, SessionKey, (ulong)Index, (ulong)session);
        return spec.SessionBudgetMin + (spec.SessionBudgetMax - spec.SessionBudgetMin) * rng.NextDouble();
    }

    private static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));
}
