namespace MultiAgentRec.Contracts;

/// <summary>Batched policy-gradient training for the policy-gradient agents of a run. Key: run id.</summary>
[Alias("mar.v1.ITrainerGrain")]
public interface ITrainerGrain : IGrainWithStringKey
{
    /// <summary>One shard's experience of one round for one agent ("{runId}/{arm}/{agentId}").</summary>
    Task Submit(string agentKey, TrajectoryBatch batch);

    /// <summary>Updates every listed agent that has pending experience, then pushes its new parameters to it.</summary>
    [ResponseTimeout("00:10:00")]
    Task<TrainingReport> Train(string[] agentKeys);
    Task<TrainingReport> GetReport();
}
