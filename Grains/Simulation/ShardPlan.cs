namespace MultiAgentRec.Simulation;

/// <summary>One shard of an arm: its users, the round it starts playing, and its cohort (−1 for the scenario's own users).</summary>
public sealed record ShardPlan(int Index, int FirstUser, int Count, int JoinRound, int Cohort);
