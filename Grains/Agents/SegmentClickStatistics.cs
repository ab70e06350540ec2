using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// Impressions and clicks per (segment, item), learned from every slate the arm showed, and the same
/// counts per slot the item was shown in (<c>SlotImpressions[cell × Slots + slot]</c>), which the
/// position-based model needs to tell a rarely examined slot from an unattractive item.
/// Bandit agents keep one set of arms per observable segment: users of a segment share tastes,
/// so this is the simplest contextual bandit that can beat a global popularity estimate.
/// Counts are doubles: exact integers far beyond int range, and sums that do not depend on order.
/// </summary>
public sealed class SegmentClickStatistics(int segments, int items, int slots = 1)
{
    public int Segments { get; } = segments;
    public int Items { get; } = items;

    /// <summary>Slots counted apart: the slate size when the agent corrects for position bias, else 1.</summary>
    public int Slots { get; } = slots;

    public double[] Impressions { get; } = new double[(long)segments * items];
    public double[] Clicks { get; } = new double[(long)segments * items];
    public double[] SlotImpressions { get; } = new double[(long)segments * items * slots];
    public double[] SlotClicks { get; } = new double[(long)segments * items * slots];

    public void Add(SegmentClickFeedback feedback)
    {
        for (var i = 0; i < feedback.Cells.Length; i++)
        {
            var cell = feedback.Cells[i];
            // Without slots (an older sender) an impression counts as one in the top slot: fully examined.
            var slot = feedback.Slots is { } s ? Math.Min(s[i], Slots - 1) : 0;
            Impressions[cell] += feedback.Impressions[i];
            Clicks[cell] += feedback.Clicks[i];
            SlotImpressions[(long)cell * Slots + slot] += feedback.Impressions[i];
            SlotClicks[(long)cell * Slots + slot] += feedback.Clicks[i];
        }
    }

    /// <summary>Replaces every count with saved ones (after a grain reactivation).</summary>
    public void Restore(double[] impressions, double[] clicks, double[] slotImpressions, double[] slotClicks)
    {
        impressions.CopyTo(Impressions, 0);
        clicks.CopyTo(Clicks, 0);
        slotImpressions.CopyTo(SlotImpressions, 0);
        slotClicks.CopyTo(SlotClicks, 0);
    }
}
