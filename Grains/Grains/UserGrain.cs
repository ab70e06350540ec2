using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// One simulated user, addressable by "{runId}/{arm}/{userIndex}". The user's state lives in its
/// shard, which steps a whole shard of users in one turn (a grain activation and a message per user
/// step would cost more than the step itself, and a million users would not fit in memory); this
/// grain reads the user from there.
/// </summary>
public sealed class UserGrain(WorldCache worlds) : Grain, IUserGrain
{
    public async Task<UserContext> GetContext()
    {
        var (runId, arm, last) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var world = await worlds.Get(runId);
        var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
        if (index < 0 || index >= world.Spec.Users.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"run '{runId}' has users 0..{world.Spec.Users.Count - 1}, not {index}");
        var shard = GrainFactory.GetGrain<IShardGrain>(GrainKeys.Shard(runId, arm, index / world.Spec.Users.ShardSize));
        return await shard.GetUserContext(index);
    }
}
