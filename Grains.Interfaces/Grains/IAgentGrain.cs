namespace MultiAgentRec.Contracts;

/// <summary>
/// What every recommender agent does: hand out the read-only state the shards propose from, and learn
/// from the feedback of every slate shown. Key: "{runId}/{arm}/{agentId}". The grain is the one owner
/// of the agent's learned state; shards on every silo propose in parallel from per-silo copies of its
/// versioned model, so proposing never queues on this grain.
/// </summary>
[Alias("mar.v1.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>The model for round <paramref name="round"/>: the state after every feedback of earlier rounds.</summary>
    Task<AgentModel> GetModel(int round);

    /// <summary>One shard's feedback of one round.</summary>
    Task Observe(SegmentClickFeedback feedback);
}
