namespace ImageClassifier.Serialization;

/// <summary>A model file that is missing, damaged or from an incompatible version.</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string Path { get; } = path;
}
