namespace MultiAgentRec.Training;

/// <summary>What one learner group's update did: each member's steps, rows and loss, and the seconds the update took.</summary>
public readonly record struct GroupUpdate(ReinforceLearnerGroup Group, ReinforceLearnerGroup.MemberUpdate[] Members, double Seconds);
