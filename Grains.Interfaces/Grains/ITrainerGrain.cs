using Orleans.Concurrency;

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

    /// <summary>
    /// trainer.overlap: takes the listed agents' pending experience and starts their update in the
    /// background (REINFORCE groups and DQN/SlateQ learners alike), then returns; one per arm at a time.
    /// </summary>
    Task StartUpdate(string[] agentKeys);

    /// <summary>
    /// trainer.overlap: waits for the update <see cref="StartUpdate"/> began for these agents, checkpoints
    /// it and pushes its snapshots; returns at once when none is running. Interleaves, so that other
    /// arms' shards can submit experience while it waits.
    /// </summary>
    [AlwaysInterleave, ResponseTimeout("00:10:00")]
    Task<TrainingReport> FinishUpdate(string[] agentKeys);
    Task<TrainingReport> GetReport();
}
