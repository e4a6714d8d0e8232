using System.Text.Json;
using ImageClassifier.Evaluation;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>The bundled report from an evaluation, and its JSON and CSV files.</summary>
public class EvaluationReportTests
{
    static EvaluationReport Report(int topK = 5, ZeroDivision zeroDivision = ZeroDivision.Warn) =>
        EvaluationReport.From(ErrorAnalysisFixture.Result, topK, examples: 10, zeroDivision);

    [Fact]
    public void Bundles_the_metrics_of_an_evaluation()
    {
        var r = Report(topK: 2);
        Assert.Equal(("fixture", 7, 1.5), (r.Dataset, r.Images, r.Loss));
        Assert.Equal(3 / 7.0, r.Accuracy, 15);
        // top-2 misses samples 1 and 6 (p 0.1 behind 0.7 and 0.2); sample 2's 0.05 ties class 0's but outranks it
        Assert.Equal(2, r.TopK);
        Assert.Equal(5 / 7.0, r.TopKAccuracy, 15);
        Assert.Equal(Metrics.LogLoss(ErrorAnalysisFixture.Probabilities, ErrorAnalysisFixture.Labels), r.LogLoss);
        Assert.Equal(7, r.ConfusionMatrix.Total);
        Assert.Equal([2, 1, 6, 4], r.TopLosses.Select(s => s.Index));
        Assert.Equal(3, r.WorstPerClass.Count);
        Assert.Equal(3, r.MostConfused.Count);
    }

    [Fact]
    public void Top_k_is_capped_at_the_number_of_classes()
    {
        var r = Report(topK: 5);
        Assert.Equal(3, r.TopK);
        Assert.Equal(1.0, r.TopKAccuracy);
        Assert.Throws<ArgumentException>(() => Report(topK: 0));
    }

    [Fact]
    public void An_inconsistent_result_is_a_clear_error()
    {
        var result = ErrorAnalysisFixture.Result with { Predicted = [0, 1] };
        Assert.Contains("7 labels but 2 predictions", Assert.Throws<ArgumentException>(() => EvaluationReport.From(result)).Message);
    }

    [Fact]
    public void Json_keeps_the_evaluate_keys_and_adds_the_rest()
    {
        using var json = JsonDocument.Parse(Report().ToJson());
        var root = json.RootElement;
        Assert.Equal(["dataset", "images", "loss", "accuracy"], root.EnumerateObject().Take(4).Select(p => p.Name));
        Assert.Equal(7, root.GetProperty("images").GetInt32());
        Assert.Equal(3, root.GetProperty("top_k").GetInt32());
        var report = root.GetProperty("classification_report");
        Assert.Equal("warn", report.GetProperty("zero_division").GetString());
        var shirt = report.GetProperty("classes")[0];
        // shirt: tp 1, P 2, T 3 -> precision 1/2, recall 1/3, F1 2/5
        Assert.Equal("shirt", shirt.GetProperty("name").GetString());
        Assert.Equal(0.4, shirt.GetProperty("f1_score").GetDouble(), 15);
        Assert.Equal(3, shirt.GetProperty("support").GetInt32());
        Assert.Equal(7, report.GetProperty("macro_avg").GetProperty("support").GetInt32());
        Assert.Equal(7, root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32()));
        Assert.Equal(2 / 3.0, root.GetProperty("confusion_matrix").GetProperty("normalized")[0][1].GetDouble(), 15);
        Assert.Equal(2, root.GetProperty("top_losses")[0].GetProperty("index").GetInt32());
        Assert.Equal("bag, small", root.GetProperty("top_losses")[0].GetProperty("true_name").GetString());
        Assert.Equal(3, root.GetProperty("worst_per_class")[0].GetProperty("examples").GetArrayLength()); // all three shirts
        Assert.Equal(2, root.GetProperty("most_confused")[0].GetProperty("count").GetInt32());
    }

    [Fact]
    public void Json_writes_NaN_as_a_string_rather_than_failing()
    {
        // two classes, class 1 neither seen nor predicted: NaN everywhere with zero_division=nan
        var result = new EvaluationResult("tiny", ["a", "b"], [0], [0], [[0.9f, 0.1f]], 0.1, 1);
        using var json = JsonDocument.Parse(EvaluationReport.From(result, zeroDivision: ZeroDivision.NaN).ToJson());
        Assert.Equal("NaN", json.RootElement.GetProperty("classification_report").GetProperty("classes")[1].GetProperty("precision").GetString());
    }

    [Fact]
    public void Csv_files_carry_class_names()
    {
        var r = Report();
        var cr = Lines(r.WriteClassificationReportCsv);
        Assert.Equal("class,precision,recall,f1_score,support", cr[0]);
        Assert.Equal("shirt,0.5,0.3333333333333333,0.4,3", cr[1]);
        Assert.StartsWith("\"bag, small\",", cr[3]);
        Assert.Equal("accuracy,,,0.42857142857142855,7", cr[4]);
        Assert.StartsWith("macro avg,", cr[5]);
        Assert.StartsWith("weighted avg,", cr[6]);

        var cm = Lines(w => r.WriteConfusionMatrixCsv(w));
        Assert.Equal(["true\\predicted,shirt,shoe,\"bag, small\"", "shirt,1,2,0", "shoe,1,1,0", "\"bag, small\",0,1,1"], cm);
        Assert.Equal("shoe,0.5,0.5,0", Lines(w => r.WriteConfusionMatrixCsv(w, normalized: true))[2]);

        var losses = Lines(r.WriteTopLossesCsv);
        Assert.Equal("index,true_class,true_name,predicted_class,predicted_name,predicted_probability,true_probability,loss", losses[0]);
        Assert.StartsWith("2,2,\"bag, small\",1,shoe,", losses[1]);
        Assert.Equal(5, losses.Length);
    }

    [Fact]
    public void Write_to_saves_every_file_in_the_folder()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var paths = Report().WriteTo(folder);
        Assert.Equal(EvaluationReport.FileNames.Select(f => Path.Combine(folder, f)), paths);
        Assert.All(paths, p => Assert.True(new FileInfo(p).Length > 0, p));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal("fixture", json.RootElement.GetProperty("dataset").GetString());
    }

    static string[] Lines(Action<TextWriter> write)
    {
        var writer = new StringWriter { NewLine = "\n" };
        write(writer);
        return writer.ToString().TrimEnd('\n').Split('\n');
    }
}
