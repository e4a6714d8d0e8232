using System.Diagnostics;

namespace ImageClassifier.Tests.Distributed;

/// <summary>
/// Launches imgclass (the build beside the tests) as ranks of a real Open MPI job on this host: mpirun over
/// loopback and shared memory, as root where the tests run as root, more ranks than cores allowed.
/// </summary>
static class MpiJob
{
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    public static string? Mpirun => new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    public static string Imgclass => Path.Combine(AppContext.BaseDirectory, "imgclass.dll");

    /// <summary>The process of <c>mpirun -np <paramref name="ranks"/> dotnet imgclass.dll args</c>, output merged into <paramref name="output"/>.</summary>
    public static Process Start(int ranks, IEnumerable<string> args, string workingDirectory, Action<string> output) =>
        Start(Enumerable.Repeat(args, ranks).ToArray(), workingDirectory, output);

    /// <summary>One rank per argument list (mpirun's MPMD form: -np 1 A : -np 1 B), for ranks that are told different things.</summary>
    public static Process Start(IReadOnlyList<IEnumerable<string>> rankArgs, string workingDirectory, Action<string> output)
    {
        var start = new ProcessStartInfo(Mpirun ?? throw new InvalidOperationException("mpirun is not installed"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string a in (string[])["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"])
            start.ArgumentList.Add(a);
        var sameForAll = rankArgs.Skip(1).All(a => a.SequenceEqual(rankArgs[0]));
        var groups = sameForAll ? [(rankArgs.Count, rankArgs[0])] : rankArgs.Select(a => (1, a)).ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            if (g > 0) start.ArgumentList.Add(":");
            foreach (string a in (string[])["-np", groups[g].Item1.ToString(), "dotnet", Imgclass, .. groups[g].Item2])
                start.ArgumentList.Add(a);
        }
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["OMPI_MCA_btl_base_warn_component_unused"] = "0";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return process;
    }

    public static Result Run(int ranks, IEnumerable<string> args, string workingDirectory, TimeSpan limit) =>
        Run(Enumerable.Repeat(args, ranks).ToArray(), workingDirectory, limit);

    public static Result Run(IReadOnlyList<IEnumerable<string>> rankArgs, string workingDirectory, TimeSpan limit)
    {
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        using var process = Start(rankArgs, workingDirectory, line => { lock (lines) lines.Add(line); });
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun did not finish within {limit.TotalSeconds} s:\n{string.Join("\n", lines)}");
        }
        process.WaitForExit();
        lock (lines) return new Result(process.ExitCode, string.Join("\n", lines), clock.Elapsed);
    }

    /// <summary>The process id of rank <paramref name="rank"/> among the children of <paramref name="mpirun"/>, read from their environment.</summary>
    public static int? RankProcess(Process mpirun, int rank)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                if (!status.Any(l => l == $"PPid:\t{mpirun.Id}")) continue;
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environment.Contains($"OMPI_COMM_WORLD_RANK={rank}")) return pid;
            }
            catch (IOException) { } // the process ended meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }
}
