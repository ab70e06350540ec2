namespace MultiAgentRec.Simulation;

/// <summary>A preference shift: from the start of <c>Round</c>, each segment's centroid moves by its row of <c>Deltas</c> (segments × dim, zero for segments that stay).</summary>
public sealed record CentroidShift(int Round, float[] Deltas);
