using MultiAgentRec.Contracts;

namespace MultiAgentRec.Arms;

/// <summary>What one shard's round produced: the report for the coordinator and the feedback for the agents.</summary>
public sealed record ShardRoundResult(ShardReport Report, SegmentClickFeedback? SegmentClickFeedback, TrajectoryBatch? Trajectories);
