using System.Numerics;
using MultiAgentRec.Simulation;
using Xunit;

namespace MultiAgentRec.UnitTests;

public sealed class VectorMathTests
{
    /// <summary>
    /// The batched panel product must equal, bit for bit, a scalar loop that adds each output's rows
    /// in order from row 0 (multiply, then add, each rounded to float): batching and register tiling
    /// may change which outputs are computed together, never the arithmetic of one.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    public void PanelProductIsBitwiseTheRowOrderedScalarSum(int count)
    {
        var width = Vector.IsHardwareAccelerated ? Vector<float>.Count : 1;
        const int rows = 25, blocks = 7;
        var rng = new Random(11);
        var panel = new float[blocks * rows * width];
        for (var i = 0; i < panel.Length; i++) panel[i] = (float)(rng.NextDouble() * 2 - 1);
        var coefficients = new float[count * rows];
        for (var i = 0; i < coefficients.Length; i++) coefficients[i] = (float)(rng.NextDouble() * 8 - 4);
        var outputs = new float[count * blocks * width];

        VectorMath.PanelProduct(panel, rows, width, coefficients, outputs, count);

        for (var u = 0; u < count; u++)
            for (var b = 0; b < blocks; b++)
                for (var lane = 0; lane < width; lane++)
                {
                    var expected = coefficients[u * rows] * panel[b * rows * width + lane];
                    for (var r = 1; r < rows; r++)
                    {
                        var product = coefficients[u * rows + r] * panel[(b * rows + r) * width + lane];
                        expected += product;
                    }
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(outputs[u * blocks * width + b * width + lane]));
                }
    }
}
