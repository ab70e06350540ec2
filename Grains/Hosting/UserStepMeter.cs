using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MultiAgentRec.Hosting;

/// <summary>
/// The user-step instruments behind one call, so that the step counter and the step-duration
/// histogram can never disagree about how many steps a silo did.
/// </summary>
public sealed class UserStepMeter(Histogram<double> duration, Counter<long> steps)
{
    /// <summary>Records one step without run labels (callers that do not know their run yet).</summary>
    public void Record(double seconds)
    {
        duration.Record(seconds);
        steps.Add(1);
    }

    /// <summary>Records one step with its run and arm labels (<see cref="Telemetry.RunArmTags"/>).</summary>
    public void Record(double seconds, in TagList tags)
    {
        duration.Record(seconds, tags);
        steps.Add(1, tags);
    }
}
