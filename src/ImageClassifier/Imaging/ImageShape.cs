namespace ImageClassifier.Imaging;

/// <summary>The shape of one image, channels first (as the tensors are).</summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public override string ToString() => $"{Height}x{Width}x{Channels}";
}
