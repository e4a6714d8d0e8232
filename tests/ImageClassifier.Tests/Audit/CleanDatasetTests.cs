using ImageClassifier.Audit;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>A clean folder (distinct, decodable, balanced, well-labelled images) gives no finding of any kind, label check included.</summary>
public class CleanDatasetTests
{
    [Fact]
    public void A_clean_dataset_yields_no_findings()
    {
        ImageClassifier.Engine.TorchRuntime.Configure(1); // two OpenMP threads collapse on a shared machine
        using var temp = new TempDirectory();
        string root = temp.File("data");
        AuditFolders.Write(Path.Combine(root, "train"), AuditFolders.ThreeClasses, perClass: 15);
        // (Training image 2789, a trouser wide enough to pass for a bag, is doubted, rightly: it is left out here.)
        AuditFolders.Write(Path.Combine(root, "test"), AuditFolders.ThreeClasses, perClass: 5, first: 20);
        // Small and quick: three folds, 100 steps each; the classes (trousers, sneakers, bags) are easy to tell apart.
        var settings = new AuditSettings { Folds = 3, Epochs = 1, MinSteps = 100 };

        var report = DatasetAudit.Run(root, null, settings);

        Assert.Equal(60, report.Images);
        Assert.True(report.FileFindings.Count == 0, string.Join("; ", report.FileFindings));
        Assert.True(report.Duplicates.Near.Count + report.Duplicates.Exact.Count == 0, string.Join("; ", report.Duplicates.NearPairs));
        Assert.False(report.Classes.HasFindings);
        Assert.Equal(1.0, report.Classes.ImbalanceRatio);
        Assert.Empty(report.Duplicates.Exact);
        Assert.Empty(report.Duplicates.Near);
        Assert.NotNull(report.Labels);
        Assert.True(report.Labels.HeldOutAccuracy >= 0.9, $"held-out accuracy {report.Labels.HeldOutAccuracy}");
        Assert.Empty(report.Labels.Issues);
        Assert.True(report.Clean);
        Assert.Empty(report.Fixes);
        Assert.Equal(["Nothing found: no broken files, no duplicates, balanced classes and no doubtful labels."], AuditSummary.Actions(report));
    }
}
