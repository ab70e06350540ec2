using MultiAgentRec.Contracts;

namespace MultiAgentRec.Grains;

/// <summary>Keeps a run's scenario in grain storage so every silo can rebuild the same world.</summary>
public sealed class RunGrain([PersistentState("run")] IPersistentState<RunState> state) : Grain, IRunGrain
{
    public async Task Register(SimulationSpec spec)
    {
        state.State = new RunState { Spec = spec };
        await state.WriteStateAsync();
    }

    public Task<SimulationSpec?> GetSpec() => Task.FromResult(state.State.Spec);
}

/// <summary>Stored state of a run grain.</summary>
[GenerateSerializer, Alias("mar.v1.RunState")]
public sealed class RunState
{
    [Id(0)] public SimulationSpec? Spec { get; set; }
}
