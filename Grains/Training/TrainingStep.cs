using MultiAgentRec.Contracts;

namespace MultiAgentRec.Training;

/// <summary>
/// What the trainer does at the end of a round, the same for the coordinator grain and the tight loop
/// (<see cref="Arms.ArmSimulation"/>). A training point is every <c>trainer.everyRounds</c>-th round.
/// Round-synchronous (the default): <see cref="Train"/> at a training point, update and push before the
/// next round. trainer.overlap: at a training point, and at the run's last round, first
/// <see cref="Collect"/> the update started at the previous training point; then at a training point
/// <see cref="Start"/> this one's in the background, except at the last round, which trains to the end
/// (<see cref="Train"/>) so the run's figures and checkpoints are complete.
/// </summary>
public readonly record struct TrainingStep(bool Collect, bool Start, bool Train)
{
    /// <summary>The step after <paramref name="round"/> of a run of <paramref name="spec"/>.</summary>
    public static TrainingStep After(SimulationSpec spec, int round)
    {
        var point = (round + 1) % spec.Trainer.EveryRounds == 0;
        if (!spec.Trainer.Overlap) return new(Collect: false, Start: false, Train: point);
        var last = round == spec.Rounds - 1;
        return new(Collect: point || last, Start: point && !last, Train: point && last);
    }
}
