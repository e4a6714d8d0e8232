using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Imaging;

/// <summary>
/// Colour conversions of RGB image tensors, following OpenCV's <c>cvtColor</c> (COLOR_RGB2GRAY, RGB2HSV,
/// HSV2RGB, RGB2Lab, Lab2RGB) so that results compare with OpenCV's within a unit.
/// <para>Shapes: [3, H, W] or a batch [N, 3, H, W], channels in R, G, B (or H, S, V / L, a, b) order.
/// <see cref="RgbToGray"/> keeps the channel axis: [1, H, W] or [N, 1, H, W]. Any device.</para>
/// <para>Types: the output has the input's type, with OpenCV's conventions for it.</para>
/// <list type="bullet">
/// <item>uint8 (0..255): H = degrees / 2 (0..179, so it fits a byte), S and V 0..255;
/// L = L* · 255 / 100, a = a* + 128, b = b* + 128. Computed in float32 from the exact formulas, then rounded
/// to nearest and saturated to 0..255. OpenCV's 8-bit paths approximate the same formulas with fixed point
/// and tables: gray and HSV agree within 1 unit; Lab within 1 except for some dark colours, where OpenCV's
/// coarse 8-bit Lab table strays up to 2 units from the formulas (and from its own float result).</item>
/// <item>float32 (RGB in 0..1): H in degrees 0..360, S and V 0..1; L* 0..100, a* and b* signed (about -128..127).</item>
/// </list>
/// <para>Formulas (OpenCV's "Color conversions" page):</para>
/// <list type="bullet">
/// <item>Gray = 0.299 R + 0.587 G + 0.114 B (BT.601 luma).</item>
/// <item>HSV: V = max(R, G, B), S = (V - min) / V (0 when V = 0); H = 60 (G - B) / (V - min) when V = R,
/// 120 + 60 (B - R) / (V - min) when V = G, else 240 + 60 (R - G) / (V - min); + 360 when negative; 0 for grays.</item>
/// <item>Lab: sRGB gamma removed first (c ≤ 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4; OpenCV's
/// RGB2Lab does this, its LRGB2Lab does not), then XYZ by the Rec. 709 / D65 matrix, X / 0.950456, Z / 1.088754;
/// f(t) = t^(1/3) for t &gt; 0.008856 else 7.787 t + 16/116; L* = 116 Y^(1/3) - 16 for Y &gt; 0.008856 else
/// 903.3 Y; a* = 500 (f(X) - f(Y)), b* = 200 (f(Y) - f(Z)). Float RGB is clipped to 0..1 first.</item>
/// <item>The inverses are OpenCV's too: Lab to RGB clips linear RGB to 0..1 before the sRGB gamma.</item>
/// </list>
/// </summary>
public static class ColorSpaces
{
    // Rec. 709 primaries, D65 white (OpenCV's sRGB2XYZ_D65 and XYZ2sRGB_D65).
    private const float Xn = 0.950456f, Zn = 1.088754f;
    private const float LabThreshold = 0.008856f, LabSlope = 7.787f, LabBias = 16f / 116f, LScale = 903.3f;
    private const float Epsilon = 1.1920929e-7f; // FLT_EPSILON: OpenCV's guard against dividing by 0

    /// <summary>Luma: [.., 1, H, W] of the input's type.</summary>
    public static Tensor RgbToGray(Tensor rgb)
    {
        bool bytes = Check(rgb, nameof(rgb));
        using var scope = NewDisposeScope();
        var (r, g, b) = Channels(rgb);
        var gray = (r * 0.299f + g * 0.587f + b * 0.114f).unsqueeze(-3);
        return (bytes ? ToBytes(gray) : gray).MoveToOuterDisposeScope();
    }

    /// <summary>RGB to HSV; see the class summary for the ranges of each type.</summary>
    public static Tensor RgbToHsv(Tensor rgb)
    {
        bool bytes = Check(rgb, nameof(rgb));
        using var scope = NewDisposeScope();
        // Byte input stays on the 0..255 scale: S and H are ratios, so only V's scale differs.
        var (r, g, b) = Channels(rgb);
        var v = maximum(r, maximum(g, b));
        var diff = v - minimum(r, minimum(g, b));
        var s = diff / (v + Epsilon);
        var scale = 60f / (diff + Epsilon);
        // OpenCV's order: red wins ties with green, green wins ties with blue; grays get 0.
        var h = where(v.eq(r), (g - b) * scale,
                where(v.eq(g), (b - r) * scale + 120f, (r - g) * scale + 240f));
        h = where(h.lt(0), h + 360f, h);
        if (!bytes) return stack([h, s, v], -3).MoveToOuterDisposeScope();
        var h8 = (h / 2f).round();
        h8 = where(h8.ge(180f), h8 - 180f, h8); // 359.5 degrees rounds to 180, which is 0
        return ToBytes(stack([h8, s * 255f, v], -3)).MoveToOuterDisposeScope();
    }

    /// <summary>HSV to RGB; hue wraps around (any angle), S and V are not clipped for float.</summary>
    public static Tensor HsvToRgb(Tensor hsv)
    {
        bool bytes = Check(hsv, nameof(hsv));
        using var scope = NewDisposeScope();
        var (h, s, v) = Channels(hsv);
        // Hue in sixths of the circle: 8-bit H is degrees / 2, so 30 per sector.
        var sixths = bytes ? h / 30f : h / 60f;
        if (bytes)
        {
            s = s / 255f;
            v = v / 255f;
        }
        sixths = sixths - (sixths / 6f).floor() * 6f;
        var sector = sixths.floor().clamp(0, 5); // float rounding can give exactly 6
        var f = sixths - sector;
        var p = v * (1f - s);
        var q = v * (1f - s * f);
        var t = v * (1f - s * (1f - f));
        // Sectors 0..5 (red, yellow, green, cyan, blue, magenta, each to the next): which of v, p, q, t each channel takes.
        var r = Pick(sector, v, q, p, p, t, v);
        var g = Pick(sector, t, v, v, q, p, p);
        var b = Pick(sector, p, p, t, v, v, q);
        var rgb = stack([r, g, b], -3);
        return (bytes ? ToBytes(rgb * 255f) : rgb).MoveToOuterDisposeScope();
    }

    /// <summary>RGB (sRGB) to CIE L*a*b*, D65; see the class summary for the ranges of each type.</summary>
    public static Tensor RgbToLab(Tensor rgb)
    {
        bool bytes = Check(rgb, nameof(rgb));
        using var scope = NewDisposeScope();
        var unit = bytes ? rgb.to_type(ScalarType.Float32) / 255f : rgb.clamp(0f, 1f);
        var (r, g, b) = Channels(unit);
        r = Linearize(r);
        g = Linearize(g);
        b = Linearize(b);
        var x = (r * 0.412453f + g * 0.357580f + b * 0.180423f) / Xn;
        var y = r * 0.212671f + g * 0.715160f + b * 0.072169f;
        var z = (r * 0.019334f + g * 0.119193f + b * 0.950227f) / Zn;
        var fy = LabF(y);
        var l = where(y.gt(LabThreshold), fy * 116f - 16f, y * LScale);
        var a = (LabF(x) - fy) * 500f;
        var bStar = (fy - LabF(z)) * 200f;
        if (!bytes) return stack([l, a, bStar], -3).MoveToOuterDisposeScope();
        return ToBytes(stack([l * (255f / 100f), a + 128f, bStar + 128f], -3)).MoveToOuterDisposeScope();
    }

    /// <summary>CIE L*a*b* (D65) to RGB (sRGB), clipped to the RGB gamut.</summary>
    public static Tensor LabToRgb(Tensor lab)
    {
        bool bytes = Check(lab, nameof(lab));
        using var scope = NewDisposeScope();
        var (l, a, b) = Channels(lab);
        if (bytes)
        {
            l = l * (100f / 255f);
            a = a - 128f;
            b = b - 128f;
        }
        // OpenCV's inverse: the linear segment below L* = 903.3 * 0.008856, cubes above.
        var dark = l.le(LScale * LabThreshold);
        var y = where(dark, l / LScale, ((l + 16f) / 116f).pow(3));
        var fy = where(dark, y * LabSlope + LabBias, (l + 16f) / 116f);
        var x = LabFInverse(a / 500f + fy) * Xn;
        var z = LabFInverse(fy - b / 200f) * Zn;
        var r = x * 3.240479f + y * -1.53715f + z * -0.498535f;
        var g = x * -0.969256f + y * 1.875991f + z * 0.041556f;
        var bl = x * 0.055648f + y * -0.204043f + z * 1.057311f;
        var rgb = stack([Delinearize(r.clamp(0f, 1f)), Delinearize(g.clamp(0f, 1f)), Delinearize(bl.clamp(0f, 1f))], -3);
        return (bytes ? ToBytes(rgb * 255f) : rgb).MoveToOuterDisposeScope();
    }

    /// <summary>True for uint8, false for float32; anything else is refused with the shape it got.</summary>
    private static bool Check(Tensor image, string name)
    {
        string shape = "[" + string.Join(", ", image.shape) + "]";
        if (image.dim() is not (3 or 4) || image.shape[^3] != 3)
            throw new ArgumentException($"Colour conversions take 3-channel images shaped [3, H, W] or [N, 3, H, W], not {shape}.", name);
        return image.dtype switch
        {
            ScalarType.Byte => true,
            ScalarType.Float32 => false,
            _ => throw new ArgumentException($"Colour conversions take uint8 (0..255) or float32 (0..1) images, not {image.dtype}.", name),
        };
    }

    /// <summary>The three channel planes as float32 (on the 0..255 scale for bytes).</summary>
    private static (Tensor, Tensor, Tensor) Channels(Tensor image)
    {
        var planes = image.to_type(ScalarType.Float32).unbind(-3);
        return (planes[0], planes[1], planes[2]);
    }

    private static Tensor ToBytes(Tensor values) => values.round().clamp(0f, 255f).to_type(ScalarType.Byte);

    private static Tensor Pick(Tensor sector, params Tensor[] bySector)
    {
        var picked = bySector[5];
        for (int i = 4; i >= 0; i--) picked = where(sector.eq(i), bySector[i], picked);
        return picked;
    }

    private static Tensor Linearize(Tensor c) =>
        where(c.le(0.04045f), c / 12.92f, ((c + 0.055f) / 1.055f).pow(2.4));

    private static Tensor Delinearize(Tensor c) =>
        where(c.le(0.0031308f), c * 12.92f, c.pow(1.0 / 2.4) * 1.055f - 0.055f);

    // The cube root branch only ever sees t above the threshold (where() evaluates both sides).
    private static Tensor LabF(Tensor t) =>
        where(t.gt(LabThreshold), t.clamp_min(LabThreshold).pow(1.0 / 3), t * LabSlope + LabBias);

    private static Tensor LabFInverse(Tensor f) =>
        where(f.le(LabSlope * LabThreshold + LabBias), (f - LabBias) / LabSlope, f.pow(3));
}
