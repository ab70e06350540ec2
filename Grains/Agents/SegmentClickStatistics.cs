using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// Impressions and clicks per (segment, item), learned from every slate the arm showed.
/// Bandit agents keep one set of arms per observable segment: users of a segment share tastes,
/// so this is the simplest contextual bandit that can beat a global popularity estimate.
/// Counts are doubles: exact integers far beyond int range, and sums that do not depend on order.
/// </summary>
public sealed class SegmentClickStatistics(int segments, int items)
{
    public int Segments { get; } = segments;
    public int Items { get; } = items;
    public double[] Impressions { get; } = new double[(long)segments * items];
    public double[] Clicks { get; } = new double[(long)segments * items];

    public void Add(SegmentClickFeedback feedback)
    {
        for (var i = 0; i < feedback.Cells.Length; i++)
        {
            Impressions[feedback.Cells[i]] += feedback.Impressions[i];
            Clicks[feedback.Cells[i]] += feedback.Clicks[i];
        }
    }
}
