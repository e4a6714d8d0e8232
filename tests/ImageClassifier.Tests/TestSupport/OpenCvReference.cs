namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// OpenCV's cvtColor formulas (its "Color conversions" page) for one pixel in double precision, written
/// independently of ColorSpaces (scalar branches, Math.Cbrt, the textbook chroma form of HSV to RGB),
/// to check it against. RGB in 0..1; H in degrees, S and V in 0..1; L* 0..100, a* and b* signed.
/// </summary>
public static class OpenCvReference
{
    public static double Gray(double r, double g, double b) => 0.299 * r + 0.587 * g + 0.114 * b;

    public static (double H, double S, double V) RgbToHsv(double r, double g, double b)
    {
        double v = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), chroma = v - min;
        double s = v > 0 ? chroma / v : 0;
        double h;
        if (chroma == 0) h = 0;
        else if (v == r) h = 60 * (g - b) / chroma;
        else if (v == g) h = 120 + 60 * (b - r) / chroma;
        else h = 240 + 60 * (r - g) / chroma;
        if (h < 0) h += 360;
        return (h, s, v);
    }

    public static (double R, double G, double B) HsvToRgb(double h, double s, double v)
    {
        h = ((h % 360) + 360) % 360;
        double chroma = v * s, x = chroma * (1 - Math.Abs(h / 60 % 2 - 1)), m = v - chroma;
        var (r, g, b) = (int)(h / 60) switch
        {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        return (r + m, g + m, b + m);
    }

    public static (double L, double A, double B) RgbToLab(double r, double g, double b)
    {
        r = Linear(r);
        g = Linear(g);
        b = Linear(b);
        // Rec. 709 / D65 (OpenCV's matrix), X and Z divided by the white point.
        double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.950456;
        double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
        double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.088754;
        double l = y > 0.008856 ? 116 * Math.Cbrt(y) - 16 : 903.3 * y;
        return (l, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }

    /// <summary>8-bit HSV as OpenCV stores it, before rounding: H / 2, S and V x 255.</summary>
    public static (double H, double S, double V) RgbToHsv8(byte r, byte g, byte b)
    {
        var (h, s, v) = RgbToHsv(r / 255.0, g / 255.0, b / 255.0);
        return (h / 2, s * 255, v * 255);
    }

    /// <summary>8-bit Lab as OpenCV stores it, before rounding: L* x 255 / 100, a* + 128, b* + 128.</summary>
    public static (double L, double A, double B) RgbToLab8(byte r, byte g, byte b)
    {
        var (l, a, bb) = RgbToLab(r / 255.0, g / 255.0, b / 255.0);
        return (l * 255 / 100, a + 128, bb + 128);
    }

    private static double Linear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
}
