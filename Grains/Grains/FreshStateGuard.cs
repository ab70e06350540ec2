namespace MultiAgentRec.Grains;

/// <summary>
/// Shards, agents and the trainer keep what they learned and their users in memory. After a
/// reactivation (Orleans collected the grain, or its silo was lost) they rebuild from the scenario,
/// but at round 0's state: going on from there would silently mix a fresh start into a run. This
/// guard turns a fresh activation's first call for a later round into a clear error instead.
/// </summary>
/// <remarks>
/// <paramref name="firstRound"/> is the round the grain is first needed in: 0, or later for a
/// cold-start cohort's shard or an agent added by an event.
/// </remarks>
internal sealed class FreshStateGuard(string what, int firstRound = 0)
{
    private bool _seen;

    public void Check(int round)
    {
        if (!_seen && round > firstRound)
            throw new InvalidOperationException(
                $"{what} was reactivated at round {round} and lost its in-memory state (users or learned statistics); the run cannot go on consistently, start it again");
        _seen = true;
    }
}
