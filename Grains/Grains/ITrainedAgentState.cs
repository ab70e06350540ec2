using MultiAgentRec.Contracts;

namespace MultiAgentRec.Grains;

/// <summary>What an agent the trainer trains must not lose when Orleans deactivates it: the last snapshot the trainer pushed (null before the first).</summary>
public interface ITrainedAgentState
{
    PolicySnapshot? Snapshot { get; set; }
}
