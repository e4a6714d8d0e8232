using ImageClassifier.Engine;

namespace ImageClassifier.Tests.Engine;

public class ComputeCeilingTests
{
    [Fact]
    public void A_matrix_multiply_gives_a_plausible_rate()
    {
        // Any CPU this runs on does between about 1 and 100,000 GFLOP/s; a wrong operation count or timing (seconds
        // taken as milliseconds, n^2 for n^3) lands outside by orders of magnitude.
        double gflops = ComputeCeiling.MatrixMultiplyGflops(size: 256, runs: 3);
        Assert.InRange(gflops, 0.5, 1e5);
    }
}
