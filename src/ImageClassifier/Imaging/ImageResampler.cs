using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>Draws a decoded image at a new size: upright, over white, with sampling that suits the scale.</summary>
internal static class ImageResampler
{
    /// <summary>
    /// <paramref name="source"/> turned upright by its EXIF <paramref name="origin"/>, stretched to
    /// <paramref name="width"/> x <paramref name="height"/> and composited over white (transparent
    /// pixels become white, not black), as an opaque RGBA8888 bitmap the caller disposes.
    /// </summary>
    public static SKBitmap Render(SKBitmap source, SKEncodedOrigin origin, int width, int height)
    {
        var (uprightWidth, uprightHeight) = UprightSize(source.Width, source.Height, origin);
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        try
        {
            using var canvas = new SKCanvas(target);
            canvas.Clear(SKColors.White);
            canvas.SetMatrix(SKMatrix.CreateScale((float)width / uprightWidth, (float)height / uprightHeight)
                .PreConcat(Orientation(origin, source.Width, source.Height)));
            // Shares the bitmap's pixels rather than copying them.
            using var pixmap = source.PeekPixels();
            using var image = SKImage.FromPixels(pixmap);
            canvas.DrawImage(image, SKRect.Create(source.Width, source.Height),
                Sampling(uprightWidth, uprightHeight, width, height), paint: null);
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>The size once turned upright: origins 5..8 are quarter turns, which swap the sides.</summary>
    public static (int Width, int Height) UprightSize(int width, int height, SKEncodedOrigin origin) =>
        SwapsSides(origin) ? (height, width) : (width, height);

    public static bool SwapsSides(SKEncodedOrigin origin) => origin is SKEncodedOrigin.LeftTop
        or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static SKSamplingOptions Sampling(int fromWidth, int fromHeight, int toWidth, int toHeight)
    {
        // Same size: copy pixel for pixel, so values come through exactly.
        if (toWidth == fromWidth && toHeight == fromHeight) return new SKSamplingOptions(SKFilterMode.Nearest);
        // Shrinking: bilinear between mipmap levels averages every source pixel, where plain bilinear or
        // bicubic would read a few and skip the rest (aliasing: moiré, broken thin lines).
        if (toWidth < fromWidth || toHeight < fromHeight) return new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        // Enlarging: Catmull-Rom bicubic (what Pillow calls BICUBIC) stays sharper than bilinear.
        return new SKSamplingOptions(SKCubicResampler.CatmullRom);
    }

    // Maps stored pixel coordinates (width x height) to upright ones, per the EXIF orientation tag.
    private static SKMatrix Orientation(SKEncodedOrigin origin, float width, float height) => origin switch
    {
        SKEncodedOrigin.TopRight => Affine(-1, 0, width, 0, 1, 0),          // mirrored left-right
        SKEncodedOrigin.BottomRight => Affine(-1, 0, width, 0, -1, height), // turned half way
        SKEncodedOrigin.BottomLeft => Affine(1, 0, 0, 0, -1, height),       // mirrored top-bottom
        SKEncodedOrigin.LeftTop => Affine(0, 1, 0, 1, 0, 0),                // transposed
        SKEncodedOrigin.RightTop => Affine(0, -1, height, 1, 0, 0),         // needs a quarter turn clockwise
        SKEncodedOrigin.RightBottom => Affine(0, -1, height, -1, 0, width), // transversed
        SKEncodedOrigin.LeftBottom => Affine(0, 1, 0, -1, 0, width),        // needs a quarter turn anticlockwise
        _ => SKMatrix.Identity,
    };

    // x' = scaleX * x + skewX * y + transX;  y' = skewY * x + scaleY * y + transY
    private static SKMatrix Affine(float scaleX, float skewX, float transX, float skewY, float scaleY, float transY) =>
        new(scaleX, skewX, transX, skewY, scaleY, transY, 0, 0, 1);
}
