using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The trainer's side of a DQN or SlateQ agent: online and target networks on the training device,
/// Adam (<see cref="StackedAdam"/> with one member), the <see cref="TransitionAssembler"/> and a bounded, seeded <see cref="ReplayBuffer"/>.
/// An update folds the pending rounds into transitions, then takes <c>stepsPerUpdate</c> gradient
/// steps on minibatches of <c>batchSize</c> replayed slates, each followed by a target-network move
/// θ' ← τθ + (1 − τ)θ' every <c>targetPeriod</c> steps (τ = 1 with a period is the periodic copy of
/// Mnih et al.; τ &lt; 1 every step is Polyak averaging). Gradients are clipped to a global L2 norm
/// of <c>gradientClip</c>; TD errors pass through a Huber loss of threshold <c>huberDelta</c>.
/// <list type="bullet">
/// <item>DQN: every item of a replayed slate is a transition (s, i, r = 1 if i was clicked, s'); its
/// target is the double-DQN target r + γ·Q_target(s', argmax_a Q_online(s', a)) over the catalog.</item>
/// <item>SlateQ: the choice network is fitted by the conditional-logit likelihood of what the user
/// did with the slate (an item's slot, or no click, whose score v₀ is learned too; slot positions are
/// not modelled). Q̄ of the consumed item gets the SARSA target of the paper, 1 + γ·Σ_{j∈A'} P(j|s', A')·Q̄_target(s', j)
/// over the slate A' actually shown next; slates without a click update only the choice model.</item>
/// </list>
/// </summary>
public sealed class ValueLearner : ITrainerLearner
{
    private readonly World _world;
    private readonly Device _device;
    private readonly ReinforcePolicyNetwork _online, _target;
    private readonly ReinforcePolicyNetwork? _choice;
    private readonly Parameter? _noClick;
    private readonly StackedAdam _optimizer;
    private readonly List<TrajectoryBatch> _pending = [];
    private readonly TransitionAssembler _transitions;
    private readonly ReplayBuffer _replay;
    private readonly List<Parameter> _parameters;
    private readonly double _gamma, _tau, _clip, _delta;
    private readonly int _batchSize, _steps, _targetPeriod;
    private readonly int _seed;
    private readonly ulong _streamKey;
    private long _totalSteps;

    public ValueLearner(World world, AgentSpec spec, Device device, ulong streamKey)
    {
        if (!Names.IsValueBased(spec.Kind)) throw new ArgumentException($"'{spec.Kind}' is not a value-based kind", nameof(spec));
        Kind = spec.Kind;
        _world = world;
        _device = device;
        _seed = world.Seed;
        _streamKey = streamKey;
        _gamma = spec.Get("gamma", 0.5);
        _tau = spec.Get("targetTau", 0.05);
        _targetPeriod = (int)spec.Get("targetPeriod", 1);
        _clip = spec.Get("gradientClip", 10);
        _delta = spec.Get("huberDelta", 1);
        _batchSize = (int)spec.Get("batchSize", 256);
        _steps = (int)spec.Get("stepsPerUpdate", Kind == Names.SlateQ ? 48 : 16);
        _online = ValueNetworks.Create(world, spec, ValueNetworks.Q);
        _online.to(device);
        _target = ValueNetworks.Create(world, spec, ValueNetworks.Q);
        _target.to(device);
        _parameters = [.. _online.parameters()];
        if (Kind == Names.SlateQ)
        {
            _choice = ValueNetworks.Create(world, spec, ValueNetworks.Choice);
            _choice.to(device);
            _noClick = new Parameter(zeros(1, device: device));
            _parameters.AddRange(_choice.parameters());
            _parameters.Add(_noClick);
        }
        _optimizer = new StackedAdam(_parameters, [spec.Get("learningRate", Kind == Names.SlateQ ? 0.01 : 0.003)]);
        _transitions = new TransitionAssembler(world);
        _replay = new ReplayBuffer((int)spec.Get("replayCapacity", 50_000), ValueFeatures.Size(world), world.SlateSize);
    }

    public string Kind { get; }
    public int Version { get; private set; }
    public int PendingRows => _pending.Sum(b => b.Rows);

    /// <summary>Transitions held for replay.</summary>
    public int ReplayCount => _replay.Count;

    public void Add(TrajectoryBatch batch) => _pending.Add(batch);

    public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize)
    {
        if (_pending.Count == 0) return (0, 0, double.NaN);
        // Shards report in any order; transitions are assembled by (round, shard), so the replay
        // and every update are the same on one silo or many.
        _pending.Sort((x, y) => x.Round != y.Round ? x.Round.CompareTo(y.Round) : x.Shard.CompareTo(y.Shard));
        var samples = 0;
        foreach (var batch in _pending) { _transitions.Add(batch, _replay); samples += batch.Rows; }
        _pending.Clear();
        if (_replay.Count == 0) return (0, samples, double.NaN);

        double sumLoss = 0;
        for (var step = 0; step < _steps; step++)
        {
            var rng = SimRandom.For(_seed, _streamKey, SimRandom.Key("replay"), (ulong)_totalSteps);
            var minibatch = _replay.Sample(_batchSize, ref rng);
            sumLoss += Step(minibatch);
            _totalSteps++;
            if (_totalSteps % _targetPeriod == 0) MoveTarget();
        }
        Version++;
        return (_steps, samples, sumLoss / _steps);
    }

    private double Step(ReplayMinibatch m)
    {
        using var scope = NewDisposeScope();
        int rows = m.Rows, k = m.SlateSize;
        var states = tensor(m.States).reshape(rows, m.StateSize).to(_device);
        var nextStates = tensor(m.NextStates).reshape(rows, m.StateSize).to(_device);
        var slates = tensor(m.Slates).reshape(rows, k).to(_device);
        _optimizer.ZeroGrad();
        var loss = Kind == Names.Dqn ? DqnLoss(m, states, nextStates, slates) : SlateQLoss(m, states, nextStates, slates);
        loss.backward();
        nn.utils.clip_grad_norm_(_parameters, _clip);
        _optimizer.Step(OneMember);
        return loss.item<float>();
    }

    private Tensor DqnLoss(ReplayMinibatch m, Tensor states, Tensor nextStates, Tensor slates)
    {
        int rows = m.Rows, k = m.SlateSize;
        var rewards = new float[rows * k];
        for (var b = 0; b < rows; b++) if (m.Clicked[b] >= 0) rewards[b * k + m.Clicked[b]] = 1;
        var predicted = _online.forward(states).gather(1, slates);
        Tensor targets;
        using (no_grad())
            targets = DoubleDqnTarget.Compute(tensor(rewards).reshape(rows, k).to(_device), _online.forward(nextStates), _target.forward(nextStates), _gamma);
        return HuberLoss.Elementwise(predicted, targets, _delta).mean();
    }

    private Tensor SlateQLoss(ReplayMinibatch m, Tensor states, Tensor nextStates, Tensor slates)
    {
        int rows = m.Rows, k = m.SlateSize;
        var choice = _choice!;
        // Choice model: log-likelihood of the observed outcome among the slate's k items and no click (index k).
        var outcome = new long[rows];
        var consumed = new long[rows];
        var mask = new float[rows];
        for (var b = 0; b < rows; b++)
        {
            var c = m.Clicked[b];
            outcome[b] = c >= 0 ? c : k;
            if (c >= 0) { consumed[b] = m.Slates[b * k + c]; mask[b] = 1; }
        }
        var scores = choice.forward(states).gather(1, slates);
        var withNoClick = cat([scores, _noClick!.reshape(1, 1).expand(rows, 1)], 1);
        var choiceLoss = nn.functional.log_softmax(withNoClick, 1).gather(1, tensor(outcome).reshape(rows, 1).to(_device)).mean().neg();

        // Item values: only the consumed item of a slate learns, towards the SARSA target.
        var weights = tensor(mask).to(_device);
        var predicted = _online.forward(states).gather(1, tensor(consumed).reshape(rows, 1).to(_device)).squeeze(1);
        Tensor targets;
        using (no_grad())
        {
            var nextSlates = tensor(m.NextSlates).reshape(rows, k).to(_device);
            var nextValue = SlateQDecomposition.SlateValue(choice.forward(nextStates).gather(1, nextSlates), _noClick, _target.forward(nextStates).gather(1, nextSlates));
            targets = nextValue.mul(TorchScalars.Real(_gamma)).add(TorchScalars.One, TorchScalars.One);
        }
        var valueLoss = HuberLoss.Elementwise(predicted, targets, _delta).mul(weights).sum().div(weights.sum().clamp_min(TorchScalars.Real(1)));
        return choiceLoss.add(valueLoss, TorchScalars.One);
    }

    private void MoveTarget()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (target, online) in _target.parameters().Zip(_online.parameters()))
            target.mul_(TorchScalars.Real(1 - _tau)).add_(online, TorchScalars.Real(_tau));
    }

    /// <summary>What a checkpoint file starts with, so another learner's file is refused by name.</summary>
    private const string Magic = "multiagentrec-value-learner-2";

    /// <summary>The active flags of a one-member <see cref="StackedAdam"/>.</summary>
    private static readonly bool[] OneMember = [true];

    /// <summary>
    /// Saves everything an update depends on, so a resumed learner continues exactly: the online,
    /// target and choice networks, Adam's moments and step count, the replay ring, the
    /// transition assembler's last round per shard, the version and the gradient-step count.
    /// </summary>
    public void SaveCheckpoint(string path) => Checkpoints.WriteAtomically(path, writer =>
    {
        writer.Write(Magic);
        writer.Write(Kind);
        writer.Write(Version);
        writer.Write(_totalSteps);
        writer.Write(_optimizer.Steps[0]);
        using (var scope = NewDisposeScope())
        using (var tensors = new LearnerCheckpoint(CheckpointTensors())) tensors.save(writer);
        _replay.Save(writer);
        _transitions.Save(writer);
    });

    /// <summary>Restores <see cref="SaveCheckpoint"/>'s file; throws <see cref="InvalidDataException"/> naming it when it is not this learner's kind and shapes.</summary>
    public void LoadCheckpoint(string path) => LoadCheckpoint(path, newRun: false);

    public void ResumeFrom(string path) => LoadCheckpoint(path, newRun: true);

    /// <summary>
    /// As <see cref="LoadCheckpoint(string)"/>; with <paramref name="newRun"/> the saved run's last round
    /// is dropped from the transition assembler, because a resumed run's users start afresh at round 0
    /// and the saved run's last slates have no next state in it (networks, Adam and replay are kept).
    /// </summary>
    public void LoadCheckpoint(string path, bool newRun)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (reader.ReadString() != Magic) throw new InvalidDataException("not a value-learner checkpoint");
            var kind = reader.ReadString();
            if (kind != Kind) throw new InvalidDataException($"a checkpoint of a {kind} agent, not {Kind}");
            var version = reader.ReadInt32();
            var steps = reader.ReadInt64();
            var adamSteps = reader.ReadInt64();
            using var scope = NewDisposeScope();
            var targets = CheckpointTensors();
            using var stored = new LearnerCheckpoint([.. targets.Select(t => (t.Name, zeros_like(t.Tensor, device: CPU)))]);
            stored.load(reader);
            var loaded = stored.Buffers();
            using (no_grad())
                foreach (var (name, target) in targets) target.copy_(loaded[name]);
            _optimizer.Steps[0] = adamSteps;
            _replay.Load(reader);
            _transitions.Load(reader);
            if (newRun) _transitions.Clear();
            (Version, _totalSteps) = (version, steps);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a trainer checkpoint of this {Kind} agent with this scenario's shapes ({e.Message.Split('\n', 2)[0].Trim()})", e);
        }
    }

    /// <summary>The networks' tensors and Adam's moments under unique names (views: writing them writes the networks and moments).</summary>
    private (string Name, Tensor Tensor)[] CheckpointTensors()
    {
        var list = new List<(string, Tensor)>();
        // Buffer names may not hold dots.
        static string Name(string network, string parameter) => $"{network}_{parameter.Replace('.', '_')}";
        list.AddRange(_online.named_parameters().Select(p => (Name("q", p.name), (Tensor)p.parameter.detach())));
        list.AddRange(_target.named_parameters().Select(p => (Name("target", p.name), (Tensor)p.parameter.detach())));
        if (_choice is not null) list.AddRange(_choice.named_parameters().Select(p => (Name("choice", p.name), (Tensor)p.parameter.detach())));
        if (_noClick is not null) list.Add(("noClick", _noClick.detach()));
        for (var i = 0; i < _parameters.Count; i++)
        {
            var (first, second) = _optimizer.Moments(i);
            list.Add(($"adam_m{i}", first));
            list.Add(($"adam_v{i}", second));
        }
        return [.. list];
    }

    public PolicySnapshot Snapshot()
    {
        using var scope = NewDisposeScope();
        IEnumerable<NamedTensor> tensors = ValueNetworks.Tensors(_online, ValueNetworks.Q);
        if (_choice is not null)
            tensors = tensors.Concat(ValueNetworks.Tensors(_choice, ValueNetworks.Choice))
                .Append(new NamedTensor(ValueNetworks.NoClick, [1], _noClick!.detach().cpu().data<float>().ToArray()));
        return new PolicySnapshot(Version, [.. tensors]);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _online.Dispose();
        _target.Dispose();
        _choice?.Dispose();
        _noClick?.Dispose();
    }
}
