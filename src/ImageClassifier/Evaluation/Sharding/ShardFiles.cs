using ImageClassifier.Data;

namespace ImageClassifier.Evaluation.Sharding;

/// <summary>An image file to predict and the key that places it in a shard: its path relative to the folder given (a file given directly: its name).</summary>
public sealed record ShardFile(string Path, string Key);

/// <summary>Lists the files of a shard: folders searched recursively (sorted), as predict lists them.</summary>
public static class ShardFiles
{
    public static IReadOnlyList<ShardFile> List(IEnumerable<string> inputs, Shard shard)
    {
        var files = new List<ShardFile>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(ImageFolderLayout.FilesUnder(input).Select(f => new ShardFile(f, Path.GetRelativePath(input, f).Replace('\\', '/'))));
            else if (File.Exists(input)) files.Add(new ShardFile(input, Path.GetFileName(input)));
            else throw new DatasetException("no such file or folder.", input);
        }
        return files.Where(f => shard.Contains(f.Key)).ToList();
    }
}
