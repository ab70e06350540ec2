namespace MultiAgentRec.Grains;

/// <summary>
/// Shards, agents and the trainer keep what they learned and their users in memory. After a
/// reactivation (Orleans collected the grain, or its silo was lost) they rebuild from the scenario,
/// but at round 0's state: going on from there would silently mix a fresh start into a run. This
/// guard turns a fresh activation's first call for a later round into a clear error instead.
/// </summary>
internal sealed class FreshStateGuard(string what)
{
    private bool _seen;

    public void Check(int round)
    {
        if (!_seen && round > 0)
            throw new InvalidOperationException(
                $"{what} was reactivated at round {round} and lost its in-memory state (users or learned statistics); the run cannot go on consistently, start it again");
        _seen = true;
    }
}
