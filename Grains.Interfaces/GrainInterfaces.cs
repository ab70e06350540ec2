namespace MultiAgentRec.Contracts;

/// <summary>Holds a run's scenario so that every grain of the run, on any silo, can rebuild the same world. Key: run id.</summary>
[Alias("mar.v1.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    Task Register(SimulationSpec spec);
    Task<SimulationSpec?> GetSpec();
}

/// <summary>One simulated user. Key: "{runId}/{arm}/{userIndex}"; the same index in every arm starts identical (common random numbers).</summary>
[Alias("mar.v1.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    Task<UserContext> GetContext();
    Task<StepOutcome> Step(StepRequest request);
}

/// <summary>What every recommender agent does: propose scores for a batch of users and learn from every slate shown. Key: "{runId}/{arm}/{agentId}".</summary>
[Alias("mar.v1.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    Task<ProposalBatch> Propose(ProposalRequest request);
    Task Observe(FeedbackBatch feedback);
}

/// <summary>Epsilon-greedy bandit over (segment, item) click rates.</summary>
[Alias("mar.v1.IEpsilonGreedyAgentGrain")]
public interface IEpsilonGreedyAgentGrain : IAgentGrain;

/// <summary>Beta-Bernoulli Thompson sampling over (segment, item) click rates.</summary>
[Alias("mar.v1.IThompsonSamplingAgentGrain")]
public interface IThompsonSamplingAgentGrain : IAgentGrain;

/// <summary>REINFORCE agent whose TorchSharp policy network is trained by the trainer grain.</summary>
[Alias("mar.v1.IReinforceAgentGrain")]
public interface IReinforceAgentGrain : IAgentGrain
{
    /// <summary>Receives new parameters from the trainer.</summary>
    Task SetPolicy(PolicySnapshot snapshot);
    Task<int> GetPolicyVersion();
}

/// <summary>Runs one comparison arm round by round: gathers proposals, shows slates, shares feedback. Key: "{runId}/{arm}".</summary>
[Alias("mar.v1.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    Task Configure(ArmSetup setup);
    Task<RoundReport> RunRound(int round);
}

/// <summary>Batched policy-gradient training for the policy-gradient agents of a run. Key: run id.</summary>
[Alias("mar.v1.ITrainerGrain")]
public interface ITrainerGrain : IGrainWithStringKey
{
    Task Submit(string agentKey, AgentSpec agent, TrajectoryBatch batch);

    /// <summary>Updates every listed agent that has pending experience, then pushes its new parameters to it.</summary>
    Task<TrainingReport> Train(string[] agentKeys);
    Task<TrainingReport> GetReport();
}
