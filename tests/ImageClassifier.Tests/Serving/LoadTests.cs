using System.Text.Json;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Serving;

/// <summary>`imgclass bench serve`: a bounded load test over loopback HTTP with and without micro-batching ends by itself with zero errors.</summary>
public class LoadTests
{
    [Fact]
    public void Bench_serve_runs_a_bounded_load_with_and_without_micro_batching_without_errors()
    {
        var result = CliRunner.Run("bench", "serve", TrainedTutorialCnn.File, "--requests", "300", "--concurrency", "8",
            "--max-batch", "16", "--max-wait-ms", "5", "--json");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var runs = JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.StartsWith("no micro-batching", runs[0].GetProperty("mode").GetString());
        Assert.StartsWith("micro-batching", runs[1].GetProperty("mode").GetString());
        foreach (var run in runs)
        {
            Assert.Equal(300, run.GetProperty("requests").GetInt32());
            Assert.Equal(0, run.GetProperty("errors").GetInt32());
            Assert.True(run.GetProperty("requests_per_second").GetDouble() > 0);
            Assert.True(run.GetProperty("p50_ms").GetDouble() <= run.GetProperty("p99_ms").GetDouble());
        }
        Assert.Equal(1.0, runs[0].GetProperty("mean_batch").GetDouble());
        Assert.True(runs[1].GetProperty("mean_batch").GetDouble() > 1, $"8 clients at once were not batched: {runs[1]}");
    }

    [Fact]
    public async Task The_load_generator_counts_refusals_as_errors_and_stops_by_itself()
    {
        var fixture = new ServingFixture();
        await fixture.InitializeAsync();
        ImageClassifier.Serving.Load.LoadReport report;
        try
        {
            report = await ImageClassifier.Serving.Load.LoadGenerator.RunAsync(fixture.BaseAddress,
                [File.ReadAllBytes(fixture.Images[0]), "not an image"u8.ToArray()], requests: 20, concurrency: 4);
        }
        finally { await fixture.DisposeAsync(); }
        Assert.Equal(20, report.Requests);
        Assert.Equal(10, report.Succeeded);
        Assert.Equal(10, report.Failed);
        Assert.Contains("HTTP 415", report.FirstErrors[0]);
    }
}
