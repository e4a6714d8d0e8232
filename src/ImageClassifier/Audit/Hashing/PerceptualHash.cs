namespace ImageClassifier.Audit.Hashing;

/// <summary>
/// 64-bit perceptual hashes of a 32 x 32 gray thumbnail, as the Python imagehash package computes them:
/// <list type="bullet">
/// <item>pHash: the 2-D DCT-II of the thumbnail, its 8 x 8 lowest frequencies, each bit set when the coefficient is
/// above their median. Robust to re-encoding, small resizes and brightness changes (the DC term carries brightness).</item>
/// <item>dHash: the thumbnail shrunk to 9 x 8, each bit set when a pixel is brighter than its right neighbour.</item>
/// </list>
/// Copies differ by a few bits; different images by about half of them (32). Hand-written: a 32-point DCT is a few
/// lines, and no served .NET package computes these hashes.
/// </summary>
public static class PerceptualHash
{
    public const int ThumbnailSide = 32;
    const int HashSide = 8;

    static readonly double[,] Cosines = BuildCosines();

    /// <summary>pHash of a 32 x 32 gray thumbnail (row-major bytes).</summary>
    public static ulong PHash(ReadOnlySpan<byte> thumbnail)
    {
        CheckThumbnail(thumbnail);
        // Separable DCT-II restricted to the 8 lowest frequencies on each axis: rows first, then columns.
        var rows = new double[ThumbnailSide, HashSide];
        for (int y = 0; y < ThumbnailSide; y++)
            for (int u = 0; u < HashSide; u++)
            {
                double sum = 0;
                for (int x = 0; x < ThumbnailSide; x++) sum += thumbnail[y * ThumbnailSide + x] * Cosines[u, x];
                rows[y, u] = sum;
            }
        var low = new double[HashSide * HashSide];
        for (int v = 0; v < HashSide; v++)
            for (int u = 0; u < HashSide; u++)
            {
                double sum = 0;
                for (int y = 0; y < ThumbnailSide; y++) sum += rows[y, u] * Cosines[v, y];
                low[v * HashSide + u] = sum;
            }
        double median = Median(low);
        ulong hash = 0;
        for (int i = 0; i < low.Length; i++)
            if (low[i] > median) hash |= 1UL << (63 - i);
        return hash;
    }

    /// <summary>dHash of a 32 x 32 gray thumbnail: shrunk to 9 x 8 by area averaging, then left-right gradients.</summary>
    public static ulong DHash(ReadOnlySpan<byte> thumbnail)
    {
        CheckThumbnail(thumbnail);
        const int width = HashSide + 1, height = HashSide;
        var small = new double[height, width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                small[y, x] = AreaMean(thumbnail, x * (double)ThumbnailSide / width, (x + 1) * (double)ThumbnailSide / width,
                    y * (double)ThumbnailSide / height, (y + 1) * (double)ThumbnailSide / height);
        ulong hash = 0;
        int bit = 63;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < HashSide; x++, bit--)
                if (small[y, x + 1] > small[y, x]) hash |= 1UL << bit;
        return hash;
    }

    public static int Distance(ulong a, ulong b) => System.Numerics.BitOperations.PopCount(a ^ b);

    /// <summary>
    /// Pearson correlation of two thumbnails: 1 for the same picture under any brightness and contrast change;
    /// 0 when either is flat (a blank image correlates with nothing).
    /// </summary>
    public static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Thumbnails of different sizes cannot be compared.");
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++) { meanA += a[i]; meanB += b[i]; }
        meanA /= a.Length;
        meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }
        return varA <= 0 || varB <= 0 ? 0 : cov / Math.Sqrt(varA * varB);
    }

    // The mean of the thumbnail over [x0, x1) x [y0, y1), weighting partly covered pixels by their covered area.
    static double AreaMean(ReadOnlySpan<byte> thumbnail, double x0, double x1, double y0, double y1)
    {
        double sum = 0, area = 0;
        for (int y = (int)y0; y < Math.Min((int)Math.Ceiling(y1), ThumbnailSide); y++)
        {
            double wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
            for (int x = (int)x0; x < Math.Min((int)Math.Ceiling(x1), ThumbnailSide); x++)
            {
                double w = wy * (Math.Min(x + 1, x1) - Math.Max(x, x0));
                sum += w * thumbnail[y * ThumbnailSide + x];
                area += w;
            }
        }
        return sum / area;
    }

    static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // cos(pi (2x + 1) u / 2N): the DCT-II basis (scipy's unnormalised type II; scaling does not change the bits).
    static double[,] BuildCosines()
    {
        var table = new double[HashSide, ThumbnailSide];
        for (int u = 0; u < HashSide; u++)
            for (int x = 0; x < ThumbnailSide; x++)
                table[u, x] = Math.Cos(Math.PI * (2 * x + 1) * u / (2.0 * ThumbnailSide));
        return table;
    }

    static void CheckThumbnail(ReadOnlySpan<byte> thumbnail)
    {
        if (thumbnail.Length != ThumbnailSide * ThumbnailSide)
            throw new ArgumentException($"A thumbnail is {ThumbnailSide} x {ThumbnailSide} gray bytes, not {thumbnail.Length} bytes.");
    }
}
