using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>How the trainer stacks the REINFORCE agents of one arm: one group per architecture, members in the arm's agent order.</summary>
public static class TrainerGroups
{
    /// <summary>The groups, and for each agent of <paramref name="agents"/> its (group, member), or null for an agent that is not REINFORCE.</summary>
    public static (ReinforceLearnerGroup[] Groups, (int Group, int Member)?[] LearnerOf) Build(World world, IReadOnlyList<AgentSpec> agents, Device device)
    {
        var learnerOf = new (int Group, int Member)?[agents.Count];
        var byArchitecture = new List<(string Architecture, List<int> Agents)>();
        for (var a = 0; a < agents.Count; a++)
        {
            // Only REINFORCE agents stack; other trained kinds bring learners of their own.
            if (agents[a].Kind != Names.Reinforce) continue;
            var architecture = ReinforceLearnerGroup.Architecture(agents[a]);
            var g = byArchitecture.FindIndex(x => x.Architecture == architecture);
            if (g < 0) { byArchitecture.Add((architecture, [])); g = byArchitecture.Count - 1; }
            learnerOf[a] = (g, byArchitecture[g].Agents.Count);
            byArchitecture[g].Agents.Add(a);
        }
        var groups = byArchitecture.Select(x => new ReinforceLearnerGroup(world, [.. x.Agents.Select(a => agents[a])], device)).ToArray();
        return (groups, learnerOf);
    }
}
