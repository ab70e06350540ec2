namespace MultiAgentRec.Contracts;

/// <summary>
/// The coordinator of one comparison arm: owns what is arm-wide (aggregation weights, the round
/// barrier), hands every shard the round's weights and reduces their reports. Key: "{runId}/{arm}".
/// It rebuilds itself from the run's scenario after any reactivation.
/// </summary>
[Alias("mar.v1.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Plays round <paramref name="round"/> on every shard of the arm. Long for big arms, hence its own timeout.</summary>
    [ResponseTimeout("00:10:00")]
    Task<RoundReport> RunRound(int round);
}
