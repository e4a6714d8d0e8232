namespace ImageClassifier.Imaging;

/// <summary>
/// An image at its own size, as planar bytes (channels first: C x H x W, 0..255), 1 channel (gray) or 3 (RGB).
/// For inspecting images; the dataset readers decode straight to a target shape instead.
/// </summary>
public sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels)
{
    public ImageShape Shape => new(Channels, Height, Width);

    /// <summary>
    /// This image stretched to <paramref name="shape"/>'s height and width (no cropping) and converted to its
    /// channel count (RGB to gray by luma, gray to RGB by copying).
    /// </summary>
    public DecodedImage ResizeTo(ImageShape shape)
    {
        PlanarPixels.CheckShape(shape);
        using var source = ImageEncoder.ToBitmap(Pixels, Shape);
        using var resized = ImageResampler.Render(source, SkiaSharp.SKEncodedOrigin.TopLeft, shape.Width, shape.Height);
        var pixels = new byte[shape.Size];
        PlanarPixels.FromRgba(resized, shape.Channels, pixels);
        return new DecodedImage(shape.Width, shape.Height, shape.Channels, pixels);
    }
}
