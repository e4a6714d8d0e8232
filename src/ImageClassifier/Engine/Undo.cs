namespace ImageClassifier.Engine;

/// <summary>Runs <paramref name="undo"/> when disposed: the end of a <c>using</c> scope that changed a setting.</summary>
internal sealed class Undo(Action undo) : IDisposable
{
    public void Dispose() => undo();
}
