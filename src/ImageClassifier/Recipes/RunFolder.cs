using System.Text.Json.Nodes;
using ImageClassifier.IO;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Recipes;

/// <summary>
/// The output folder of one <c>train</c> run, held for the run's length: locked (<see cref="OutputFolderLock"/>)
/// so that a second training cannot write into it, cleared of temporary files that killed writes left, and of the
/// files of an earlier run unless this one resumes it (so that a folder never mixes two runs), checked for space
/// before training, and home of the run's <see cref="CheckpointFolder"/>.
/// </summary>
sealed class RunFolder : IDisposable
{
    /// <summary>The files a run writes (besides checkpoints): an earlier run's are removed before a fresh one starts.</summary>
    static readonly string[] Artifacts = ["model" + ModelFile.Extension, "history.csv", "history.json", "fine-tune-history.csv",
        "fine-tune-history.json", TrainingResult.FileName, Reporting.HtmlReport.DefaultFileName];

    readonly OutputFolderLock folderLock;

    RunFolder(string path, OutputFolderLock folderLock)
    {
        Path = path;
        this.folderLock = folderLock;
        Checkpoints = new CheckpointFolder(System.IO.Path.Combine(path, CheckpointFolder.DefaultName));
    }

    public string Path { get; }
    public CheckpointFolder Checkpoints { get; }

    /// <summary>Locks <paramref name="folder"/> and removes what killed writes left there; a folder in use or unwritable fails here.</summary>
    public static RunFolder Open(string folder, TextWriter log)
    {
        string path = System.IO.Path.GetFullPath(folder);
        var run = new RunFolder(path, OutputFolderLock.Acquire(path));
        foreach (string stale in AtomicFile.RemoveStaleTemporaries(path).Concat(run.Checkpoints.RemoveStaleTemporaries()))
            log.WriteLine($"Removed {stale}, left by an interrupted write.");
        return run;
    }

    /// <summary>Removes an earlier run's model, history, summary, report and checkpoints.</summary>
    public void ClearEarlierRun(TextWriter log)
    {
        var removed = Artifacts.Select(f => System.IO.Path.Combine(Path, f)).Where(File.Exists).ToList();
        removed.AddRange(Checkpoints.Files);
        if (removed.Count == 0) return;
        foreach (string file in removed) File.Delete(file);
        log.WriteLine($"Removed the {removed.Count} files of an earlier run in {Path}.");
    }

    /// <summary>
    /// Fails before training when the folder's file system has too little space for the run's checkpoints and model:
    /// two checkpoints kept and a third being written, each about four times the weights (weights, two Adam moments,
    /// early stopping's best weights), and the model file with its temporary copy.
    /// </summary>
    public void CheckSpace(Classifier model)
    {
        long weights = model.Network.parameters().Sum(p => p.NumberOfElements * p.ElementSize)
            + model.Network.buffers().Sum(b => b.NumberOfElements * b.ElementSize);
        long needed = 14 * weights + (1 << 20);
        long free;
        try { free = new DriveInfo(Path).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return; } // unknown: the writes will tell
        if (free < needed)
            throw new IOException($"The output folder {Path} has {Megabytes(free)} free, but this run needs about {Megabytes(needed)} " +
                "for its checkpoints and model: free some space or choose another --output.");
    }

    static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MB";

    public void Dispose() => folderLock.Dispose();
}

/// <summary>
/// What a checkpoint stores of the run that wrote it, so that <c>train --resume DIR</c> needs nothing else: the recipe
/// (as its JSON), the data it trained on, the checkpoint and NaN settings, the NaN rollbacks so far, and whatever
/// the caller adds (the CLI's data and runtime options), and the number of ranks of a distributed job (1 otherwise).
/// </summary>
public sealed record RunInfo(TrainingRecipe Recipe, string Source, JsonObject? Invocation, int Rollbacks, int WorldSize = 1)
{
    public JsonObject ToJson() => new()
    {
        ["recipe"] = JsonNode.Parse(Recipe.ToJson()),
        ["source"] = Source,
        ["checkpoint_every"] = Recipe.CheckpointEvery,
        ["on_nan"] = Recipe.OnNan,
        ["rollbacks"] = Rollbacks,
        ["world_size"] = WorldSize,
        ["invocation"] = Invocation?.DeepClone(),
    };

    public static RunInfo FromJson(JsonObject json, string where)
    {
        try
        {
            var recipe = TrainingRecipe.FromJson(json["recipe"]!.ToJsonString()) with
            {
                CheckpointEvery = json["checkpoint_every"]?.GetValue<int>() ?? 0,
                OnNan = json["on_nan"]?.GetValue<string>() ?? "stop",
            };
            return new RunInfo(recipe, json["source"]!.GetValue<string>(), json["invocation"]?.DeepClone().AsObject(), json["rollbacks"]?.GetValue<int>() ?? 0,
                json["world_size"]?.GetValue<int>() ?? 1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new CheckpointException(where, $"its run settings cannot be read: {e.Message}", e);
        }
    }
}

/// <summary>A run that can be resumed: its settings (the recipe marked to resume) and where its latest checkpoint stands.</summary>
public sealed record ResumableRun(TrainingRecipe Recipe, string Source, JsonObject? Invocation, string Folder, string Checkpoint, string Where);
