using ImageClassifier.Audit;
using ImageClassifier.Tests.TestSupport;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.Audit;

/// <summary>
/// The audit against known answers: a Fashion-MNIST subset written as PNG folders with planted problems
/// (<see cref="PlantedProblems"/>: exact copies across training and test and re-encoded, near copies as JPEG,
/// resized and brightened, corrupt, truncated and empty files, wrong extensions, 3% of labels flipped), audited with
/// the default settings. `imgclass bench audit --images 10000` is the same at the size docs/BENCHMARKS.md records.
/// </summary>
public class PlantedProblemsTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_audit_finds_planted_duplicates_broken_files_and_flipped_labels()
    {
        // One libtorch thread: two OpenMP threads collapse when the machine is shared (docs/BENCHMARKS.md).
        ImageClassifier.Engine.TorchRuntime.Configure(1);
        using var temp = new TempDirectory();
        var train = FashionMnist.Train.Take(2000);
        var test = FashionMnist.Test.Take(400);
        var planted = PlantedProblems.Write(train, test, temp.File("planted"), perKind: 10, flipShare: 0.03, seed: 7);

        var report = DatasetAudit.Run(planted.Root, null, new AuditSettings(), output.WriteLine);
        var score = PlantedProblems.Score(planted, report);
        output.WriteLine(score.ToString());

        Assert.Equal(50, score.PlantedCopies);
        Assert.True(score.DuplicateRecall >= 0.9, $"duplicate recall {score.DuplicateRecall:P1}");
        Assert.Equal(30, score.PlantedBroken);
        Assert.True(score.BrokenRecall >= 0.9, $"broken-file recall {score.BrokenRecall:P1}");
        Assert.Equal(0, score.FalseBroken);
        Assert.Equal(1.0, score.ExtensionRecall);
        // False alarms: reported pairs that were not planted (some may be copies Fashion-MNIST itself holds).
        Assert.True(score.UnplantedPairs <= 0.5 * score.ReportedPairs, $"{score.UnplantedPairs} of {score.ReportedPairs} reported pairs were not planted");
        Assert.Equal(60, score.Flipped);
        Assert.True(score.PrecisionAtK >= 0.6, $"precision at K = 60: {score.PrecisionAtK:P1}");
    }
}
