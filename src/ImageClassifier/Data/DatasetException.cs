namespace ImageClassifier.Data;

/// <summary>
/// Bad input data: names the file (when there is one), what is wrong and what to do.
/// The CLI prints <see cref="Exception.Message"/> and exits non-zero, without a stack trace.
/// </summary>
public class DatasetException(string message, string? path = null, Exception? inner = null)
    : Exception(path is null ? message : $"{path}: {message}", inner)
{
    public string? Path { get; } = path;
}
