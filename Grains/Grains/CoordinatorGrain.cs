using System.Diagnostics;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>
/// Runs one comparison arm. A round: ask every agent for scores for all users (one call per agent),
/// combine them into slates, show each user its slate (one call per user), then share the feedback
/// of every slate with every agent (one call per agent) and let the trainer update the
/// policy-gradient agents. The random and oracle arms skip the agents.
/// </summary>
public sealed class CoordinatorGrain(WorldCache worlds) : Grain, ICoordinatorGrain
{
    private static readonly ulong SlateKey = SimRandom.Key("coordinator-slate");
    private static readonly ulong RandomKey = SimRandom.Key("random-slate");

    private World _world = null!;
    private string _arm = null!;
    private IUserGrain[] _users = [];
    private IAgentGrain[] _agents = [];
    private AgentSpec[] _agentSpecs = [];
    private string[] _policyGradientKeys = [];
    private ITrainerGrain _trainer = null!;
    private IAggregationRule? _rule;
    private HedgeWeighting? _hedge;
    private UserContext[]? _contexts;

    public async Task Configure(ArmSetup setup)
    {
        _world = await worlds.Get(setup.RunId);
        _arm = setup.Arm;
        var spec = _world.Spec;
        _users = Enumerable.Range(0, spec.Users.Count)
            .Select(i => GrainFactory.GetGrain<IUserGrain>(GrainKeys.User(setup.RunId, setup.Arm, i))).ToArray();
        _agentSpecs = setup.Agents;
        var agentKeys = setup.Agents.Select(a => GrainKeys.Agent(setup.RunId, setup.Arm, a.Id)).ToArray();
        _agents = setup.Agents.Select((a, i) => AgentGrains.Get(GrainFactory, a.Kind, agentKeys[i])).ToArray();
        _policyGradientKeys = agentKeys.Where((_, i) => Names.IsPolicyGradient(setup.Agents[i].Kind)).ToArray();
        _trainer = GrainFactory.GetGrain<ITrainerGrain>(setup.RunId);
        if (_agents.Length > 0)
        {
            _rule = spec.Coordinator.Aggregation == Names.Borda ? new BordaCountVoting() : new WeightedScoreAveraging();
            _hedge = new HedgeWeighting(_agents.Length, spec.Coordinator.HedgeFloor, spec.Coordinator.HedgeLearningRate, spec.Rounds);
        }
        _contexts = null;
    }

    public async Task<RoundReport> RunRound(int round)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = _world.Spec;
        int n = _users.Length, k = spec.SlateSize, items = _world.Catalog.Count;
        _contexts ??= await Task.WhenAll(_users.Select(u => u.GetContext()));
        var contexts = _contexts;
        var slates = new int[n * k];
        var propensities = new float[n * k];
        var oracle = _arm == Names.Oracle;

        float[][] proposals = [];
        if (_agents.Length > 0)
        {
            var request = new ProposalRequest(round, contexts);
            proposals = (await Task.WhenAll(_agents.Select(a => a.Propose(request)))).Select(p => p.Scores).ToArray();
            ComposeSlates(round, proposals, slates, propensities);
        }
        else if (!oracle)
        {
            for (var u = 0; u < n; u++)
            {
                var rng = SimRandom.For(spec.Seed, RandomKey, (ulong)u, (ulong)round);
                SlateSampling.Uniform(items, ref rng, slates.AsSpan(u * k, k), propensities.AsSpan(u * k, k));
            }
        }

        var steps = new Task<StepOutcome>[n];
        for (var u = 0; u < n; u++)
            steps[u] = _users[u].Step(new StepRequest(round, oracle ? null : slates[(u * k)..((u + 1) * k)], oracle));
        var outcomes = await Task.WhenAll(steps);

        var clicked = new int[n];
        var engagements = new float[n];
        var shownThisRound = new bool[items];
        int clicks = 0, sessionsEnded = 0;
        double sumExpected = 0, sumRegret = 0, sumNdcg = 0, sumDiversity = 0, sumEngagement = 0;
        var next = new UserContext[n];
        for (var u = 0; u < n; u++)
        {
            var o = outcomes[u];
            if (oracle) { o.Slate.CopyTo(slates, u * k); propensities.AsSpan(u * k, k).Fill(1); }
            clicked[u] = o.ClickedPosition;
            engagements[u] = o.Engagement;
            if (o.ClickedPosition >= 0) clicks++;
            if (o.SessionEnded) sessionsEnded++;
            sumExpected += o.ExpectedClick;
            sumRegret += o.OracleExpectedClick - o.ExpectedClick;
            sumNdcg += o.Ndcg;
            sumEngagement += o.Engagement;
            sumDiversity += _world.Catalog.Diversity(o.Slate);
            foreach (var item in o.Slate) shownThisRound[item] = true;
            next[u] = o.Next;
        }
        _contexts = next;

        var weights = Array.Empty<AgentWeight>();
        if (_agents.Length > 0)
        {
            weights = CreditAgents(proposals, slates, clicked, n, k, items);
            var feedback = new FeedbackBatch(round, k, contexts, slates, propensities, clicked, engagements);
            await Task.WhenAll(_agents.Select(a => a.Observe(feedback)));
            if (_policyGradientKeys.Length > 0 && (round + 1) % spec.Trainer.EveryRounds == 0)
                await _trainer.Train(_policyGradientKeys);
        }

        var armTag = new KeyValuePair<string, object?>("arm", _arm);
        Telemetry.Recommendations.Add(n, armTag);
        Telemetry.Clicks.Add(clicks, armTag);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Telemetry.RoundDuration.Record(seconds, armTag);
        var shown = Enumerable.Range(0, items).Where(i => shownThisRound[i]).ToArray();
        return new RoundReport(_arm, round, n, clicks, sumExpected, sumRegret, sumNdcg, sumDiversity, sumEngagement, shown, weights, sessionsEnded, seconds);
    }

    private void ComposeSlates(int round, float[][] proposals, int[] slates, float[] propensities)
    {
        var spec = _world.Spec;
        int n = _users.Length, k = spec.SlateSize, items = _world.Catalog.Count;
        var combined = new float[items];
        var scratch = new double[items];
        var weights = _hedge!.Weights;
        for (var u = 0; u < n; u++)
        {
            _rule!.Aggregate(proposals, u * items, items, weights, combined);
            var rng = SimRandom.For(spec.Seed, SlateKey, (ulong)u, (ulong)round);
            SlateSampling.PlackettLuce(combined, spec.Coordinator.Temperature, ref rng, slates.AsSpan(u * k, k), propensities.AsSpan(u * k, k), scratch);
        }
    }

    // An agent is credited with a click when the clicked item is in its own top-k: it would have
    // recommended it. Its Hedge loss for the round is 1 − its credited click rate.
    private AgentWeight[] CreditAgents(float[][] proposals, int[] slates, int[] clicked, int n, int k, int items)
    {
        var a = _agents.Length;
        var losses = new double[a];
        var credited = new double[a];
        Span<int> top = stackalloc int[k];
        for (var agent = 0; agent < a; agent++)
        {
            var hits = 0;
            for (var u = 0; u < n; u++)
            {
                if (clicked[u] < 0) continue;
                TopK.Select(proposals[agent].AsSpan(u * items, items), top);
                if (top.Contains(slates[u * k + clicked[u]])) hits++;
            }
            credited[agent] = hits;
            losses[agent] = 1 - (double)hits / n;
        }
        if (_rule is WeightedScoreAveraging) _hedge!.Update(losses);
        var weights = _hedge!.Weights;
        var result = new AgentWeight[a];
        for (var agent = 0; agent < a; agent++)
        {
            var weight = _rule is WeightedScoreAveraging ? weights[agent] : 1.0 / a;
            result[agent] = new AgentWeight(_agentSpecs[agent].Id, weight, credited[agent]);
            var tags = new TagList { { "arm", _arm }, { "agent", _agentSpecs[agent].Id } };
            Telemetry.AgentReward.Add(credited[agent], tags);
            Telemetry.AgentWeight.Record(weight, tags);
        }
        return result;
    }
}
