using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// The run whose checkpoints are in <paramref name="folder"/> (an output folder of <see cref="Run(string, string?, Data.Loading.TrainingDataOptions?, TextWriter?)"/>),
    /// ready to continue: its recipe as it was started (with <see cref="Resume"/> set), the data it trained on, and where its newest readable
    /// checkpoint stands. <c>recipe.Run(run.Source, run.Folder, data)</c> then goes on from the next batch.
    /// </summary>
    public static ResumableRun ReadRun(string folder, Action<string>? damaged = null)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new ArgumentException($"There is no folder '{full}' to resume.");
        var checkpoints = new CheckpointFolder(Path.Combine(full, CheckpointFolder.DefaultName));
        if (checkpoints.Files.Count == 0)
            throw new ArgumentException(File.Exists(Path.Combine(full, TrainingResult.FileName))
                ? $"The run in '{full}' is complete (it has {TrainingResult.FileName} and no checkpoints): there is nothing to resume."
                : $"There are no checkpoints in '{checkpoints.Path}': nothing to resume (a run checkpoints before its first batch).");
        var checkpoint = checkpoints.ReadLatest(damaged)
            ?? throw new ArgumentException($"Every checkpoint in '{checkpoints.Path}' is damaged: the run cannot be resumed.");
        if (checkpoint.Run is null) throw new CheckpointException(checkpoint.Path!, "it does not say how the run was started, so it cannot be resumed.");
        var info = RunInfo.FromJson(checkpoint.Run, checkpoint.Path!);
        return new ResumableRun(info.Recipe with { Resume = true, Invocation = info.Invocation }, info.Source, info.Invocation, full, checkpoint.Path!, checkpoint.Where);
    }
}
