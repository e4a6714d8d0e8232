using ImageClassifier.Audit;
using ImageClassifier.Cli;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>Label errors planted by hand in a small folder are the most doubted, by cross-validation and by a given model.</summary>
public class LabelIssueTests
{
    [Fact]
    public void Images_moved_to_the_wrong_class_lead_the_ranking_with_their_true_class_suggested()
    {
        ImageClassifier.Engine.TorchRuntime.Configure(1); // two OpenMP threads collapse on a shared machine
        using var temp = new TempDirectory();
        string root = temp.File("data");
        var paths = AuditFolders.Write(root, AuditFolders.ThreeClasses, perClass: 20);
        // Two bags filed as trousers, one sneaker as a bag.
        var moved = new Dictionary<string, string>
        {
            [Move(paths["bag"][0], root, "trouser")] = "bag",
            [Move(paths["bag"][1], root, "trouser")] = "bag",
            [Move(paths["sneaker"][0], root, "bag")] = "sneaker",
        };
        var settings = new AuditSettings { Folds = 3, Epochs = 1, MinSteps = 100 };

        var report = DatasetAudit.Run(root, null, settings);

        var labels = report.Labels!;
        // Among the first 5 of 60: Fashion-MNIST holds odd images of its own (a bag shaped like trousers) that rank with them.
        var top = labels.Ranking.Take(5).Select(f => report.Scanned[f].Path).ToList();
        Assert.True(moved.Keys.All(top.Contains), "top 5: " + string.Join(", ", top) + "; issues: " + string.Join("; ", labels.Issues));
        foreach (var (path, truth) in moved)
        {
            var issue = Assert.Single(labels.Issues, i => i.Path == path);
            Assert.Equal(truth, issue.SuggestedLabel);
            Assert.True(issue.Rank <= 5);
            Assert.True(issue.SelfConfidence < issue.Threshold);
        }
        Assert.Contains("3-fold cross-validation of tutorial-cnn", labels.Method);
        Assert.All(labels.Issues, i => Assert.Equal(FixList.Review, report.Fixes.Single(f => f.Path == i.Path).Action));
    }

    [Fact]
    public void A_given_model_ranks_the_labels_instead_of_cross_validation()
    {
        using var temp = new TempDirectory();
        string root = temp.File("data");
        var paths = AuditFolders.Write(root, AuditFolders.ThreeClasses, perClass: 20);
        // A model trained on other images of the same classes, then asked about a folder with one wrong label.
        AuditFolders.Write(temp.File("other"), AuditFolders.ThreeClasses, perClass: 40, first: 100);
        var train = CliRunner.Run("train", "--data", temp.File("other"), "--image-size", "28", "--channels", "1", "--epochs", "3",
            "--validation-split", "0", "--output", temp.File("model"), "--no-report", "--threads", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        string wrong = Move(paths["trouser"][0], root, "sneaker");

        var report = DatasetAudit.Run(root, null, new AuditSettings { ModelFile = Path.Combine(temp.File("model"), "model.imgclass") });

        Assert.Contains("the model model.imgclass (tutorial-cnn)", report.Labels!.Method);
        // Ranked first; flagged only when its trouser probability also reaches the trousers' threshold, which a
        // model this sure of every trouser sets near 1.
        Assert.Equal(wrong, report.Scanned[report.Labels.Ranking[0]].Path);
        Assert.All(report.Labels.Issues.Where(i => i.Path == wrong), i => Assert.Equal("trouser", i.SuggestedLabel));
    }

    [Fact]
    public void A_model_that_does_not_know_a_class_is_refused_by_name()
    {
        using var temp = new TempDirectory();
        AuditFolders.Write(temp.File("other"), new Dictionary<string, int> { ["trouser"] = 1, ["bag"] = 8 }, perClass: 10);
        var train = CliRunner.Run("train", "--data", temp.File("other"), "--image-size", "28", "--channels", "1", "--epochs", "1",
            "--validation-split", "0", "--output", temp.File("model"), "--no-report", "--threads", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        AuditFolders.Write(temp.File("data"), AuditFolders.ThreeClasses, perClass: 3);

        var result = CliRunner.Run("audit", temp.File("data"), "--model", temp.File("model"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not know the class 'sneaker'", result.Error);
    }

    static string Move(string path, string root, string toClass)
    {
        string target = Path.Combine(root, toClass, "moved-" + Path.GetFileName(path));
        File.Move(path, target);
        return Path.GetFullPath(target);
    }
}
