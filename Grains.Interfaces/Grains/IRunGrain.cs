namespace MultiAgentRec.Contracts;

/// <summary>Holds a run's scenario so that every grain of the run, on any silo, can rebuild the same world. Key: run id.</summary>
[Alias("mar.v1.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    Task Register(SimulationSpec spec);
    Task<SimulationSpec?> GetSpec();
}
