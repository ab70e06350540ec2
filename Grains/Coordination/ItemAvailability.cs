namespace MultiAgentRec.Coordination;

/// <summary>
/// The rule that no agent proposes an item that does not exist yet (see <see cref="Simulation.ScenarioTimeline"/>:
/// items 0..available−1 exist), checked by the shard on every list while items are still to arrive.
/// Every proposer ranks only the existing items of the round it proposes for (the bandits through
/// <see cref="Agents.BanditPolicy.AvailableAt"/>, the linear, REINFORCE and value scorers by taking
/// their top N of the existing items, the same for an agent added by an event or a REINFORCE
/// snapshot of any age), and lists as many as it ranks, so a list holds at least a slate's worth
/// (or all there are). A list that breaks the rule is a proposer's bug: it fails the round with a
/// clear error instead of being cut and topped up with random items, which is what the shard did
/// before the proposers learned of arrivals, and which hid exactly such a bug.
/// </summary>
public static class ItemAvailability
{
    /// <summary>
    /// Throws when a list of <paramref name="set"/>'s first <paramref name="users"/> users holds an item
    /// at or above <paramref name="available"/>, or fewer than <paramref name="minimum"/> items (capped at
    /// the available items and the list's capacity). <paramref name="agent"/> names the proposer in the error.
    /// </summary>
    public static void CheckProposals(CandidateSet set, int users, int available, int minimum, int round, string agent)
    {
        minimum = Math.Min(minimum, Math.Min(available, set.PerUser));
        for (var user = 0; user < users; user++)
        {
            var items = set.ItemsOf(user);
            if (items.Length < minimum)
                throw new InvalidOperationException(
                    $"{agent} proposed {items.Length} items to user {user} of its shard in round {round}, fewer than the {minimum} a slate needs: a proposer must list a slate's worth of the items that exist");
            foreach (var item in items)
                if (item >= available)
                    throw new InvalidOperationException(
                        $"{agent} proposed item {item} in round {round}, before it arrives (items 0..{available - 1} exist): a proposer must rank only the items that exist in its round");
        }
    }
}
