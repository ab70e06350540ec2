using System.Reflection;
using MultiAgentRec.Training;
using TorchSharp;

namespace MultiAgentRec.UnitTests;

/// <summary>
/// Keeps the project's TorchSharp calls free of scalars that the garbage collector can free while
/// libtorch still reads them (see <see cref="TorchScalars"/>): the compiled code of the grains, the
/// client and these tests is read, and every call that makes a scalar for one call is listed.
/// </summary>
public class TorchScalarSafetyTests
{
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    private static bool MakesScalar(MethodBase m) =>
        m.DeclaringType == typeof(Scalar) && m.Name == "op_Implicit" || m.DeclaringType == typeof(ScalarExtensionMethods);

    /// <summary>TorchSharp's methods that make a scalar themselves or through the methods they call (x.add(y) → x.add(y, 1)).</summary>
    private static HashSet<MethodBase> TorchSharpMethodsThatMakeScalars()
    {
        var calls = IlCalls.Methods(TorchSharpAssembly).ToDictionary(m => m, m => IlCalls.Of(m).ToList());
        var making = calls.Where(kv => kv.Value.Any(MakesScalar)).Select(kv => kv.Key).ToHashSet();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (method, callees) in calls)
                if (!making.Contains(method) && callees.Any(making.Contains)) grew = making.Add(method);
        }
        return making;
    }

    private static string Name(MethodBase m) => $"{m.DeclaringType?.FullName}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    [Fact]
    public void No_project_code_makes_a_scalar_for_one_torch_call()
    {
        var making = TorchSharpMethodsThatMakeScalars();
        // Sanity: the scan sees what it is meant to see, so an empty finding below means something.
        Assert.Contains(making, m => m.Name == "add" && m.GetParameters() is [{ ParameterType.Name: "Tensor" }]);
        Assert.Contains(IlCalls.Of(typeof(TorchScalars).GetMethod(nameof(TorchScalars.Real))!).Concat(
            IlCalls.Methods(typeof(TorchScalars).Assembly).Where(m => m.DeclaringType?.DeclaringType == typeof(TorchScalars)).SelectMany(IlCalls.Of)), MakesScalar);

        var assemblies = new[] { typeof(TorchScalars).Assembly, typeof(MultiAgentRec.Client.Cli).Assembly, typeof(TorchScalarSafetyTests).Assembly };
        var problems = new List<string>();
        foreach (var method in assemblies.SelectMany(IlCalls.Methods))
        {
            var owner = method.DeclaringType;
            while (owner?.DeclaringType is not null) owner = owner.DeclaringType;
            if (owner == typeof(TorchScalars)) continue;
            foreach (var callee in IlCalls.Of(method))
            {
                if (MakesScalar(callee)) problems.Add($"{Name(method)} converts a number to a scalar ({Name(callee)}): use TorchScalars");
                else if (making.Contains(callee)) problems.Add($"{Name(method)} calls {Name(callee)}, which makes a scalar inside TorchSharp: pass TorchScalars (x.add(y, TorchScalars.One))");
                else if (callee.DeclaringType?.FullName?.StartsWith("TorchSharp.Modules.", StringComparison.Ordinal) == true && typeof(TorchSharp.Modules.OptimizerHelper).IsAssignableFrom(callee.DeclaringType)
                         || callee.DeclaringType?.FullName == "TorchSharp.torch+optim")
                    problems.Add($"{Name(method)} uses a TorchSharp optimiser ({Name(callee)}), whose step converts scalars implicitly: use StackedAdam");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }
}
