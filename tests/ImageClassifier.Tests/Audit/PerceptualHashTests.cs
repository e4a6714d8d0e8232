using ImageClassifier.Audit.Hashing;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Audit;

public class PerceptualHashTests
{
    static byte[] Thumbnail(byte[] pixels, ImageShape shape) =>
        new DecodedImage(shape.Width, shape.Height, shape.Channels, pixels).ResizeTo(new ImageShape(1, 32, 32)).Pixels;

    [Fact]
    public void Copies_hash_close_and_different_images_far()
    {
        var shape = AuditFolders.Gray28;
        var original = AuditFolders.Image(7, 0);
        var jpeg = ImageDecoder.Decode(ImageEncoder.EncodeJpeg(original, shape, 75), shape);
        var brighter = original.Select(p => (byte)Math.Min(255, p * 1.12 + 8)).ToArray();
        var bigger = new DecodedImage(28, 28, 1, original).ResizeTo(new ImageShape(1, 31, 31));
        var other = AuditFolders.Image(7, 1);

        ulong hash = PerceptualHash.PHash(Thumbnail(original, shape));
        Assert.True(PerceptualHash.Distance(hash, PerceptualHash.PHash(Thumbnail(jpeg, shape))) <= 6);
        Assert.True(PerceptualHash.Distance(hash, PerceptualHash.PHash(Thumbnail(brighter, shape))) <= 6);
        Assert.True(PerceptualHash.Distance(hash, PerceptualHash.PHash(bigger.ResizeTo(new ImageShape(1, 32, 32)).Pixels)) <= 6);
        Assert.True(PerceptualHash.Distance(hash, PerceptualHash.PHash(Thumbnail(AuditFolders.Image(1, 0), shape))) > 12);
        Assert.True(PerceptualHash.Correlation(Thumbnail(original, shape), Thumbnail(brighter, shape)) > 0.99);
        Assert.True(PerceptualHash.Correlation(Thumbnail(original, shape), Thumbnail(other, shape)) < 0.95);
    }

    [Fact]
    public void DHash_sets_a_bit_where_the_right_neighbour_is_brighter()
    {
        // A left-to-right ramp: every pixel's right neighbour is brighter, so all 64 bits are set; the mirror sets none.
        var ramp = new byte[32 * 32];
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) ramp[y * 32 + x] = (byte)(x * 8);
        var mirror = ramp.Select(p => (byte)(248 - p)).ToArray();
        Assert.Equal(ulong.MaxValue, PerceptualHash.DHash(ramp));
        Assert.Equal(0UL, PerceptualHash.DHash(mirror));
    }

    [Fact]
    public void PHash_ignores_brightness_and_a_flat_image_correlates_with_nothing()
    {
        var random = new Random(3);
        var image = new byte[32 * 32];
        random.NextBytes(image);
        var shifted = image.Select(p => (byte)(p / 2 + 60)).ToArray();
        Assert.Equal(PerceptualHash.PHash(image), PerceptualHash.PHash(shifted));
        Assert.Equal(0, PerceptualHash.Correlation(image, new byte[32 * 32]));
        Assert.Throws<ArgumentException>(() => PerceptualHash.PHash(new byte[28 * 28]));
    }

    [Fact]
    public void Pixel_hash_sees_through_the_encoding_but_not_a_changed_pixel()
    {
        var gray = AuditFolders.Image(0, 0);
        var rgb = new byte[3 * gray.Length];
        for (int c = 0; c < 3; c++) gray.CopyTo(rgb, c * gray.Length);
        string hash = PixelHash.Of(gray, 28, 28, 1);
        Assert.Equal(hash, PixelHash.Of(rgb, 28, 28, 3));
        gray[100] ^= 1;
        Assert.NotEqual(hash, PixelHash.Of(gray, 28, 28, 1));
    }

    [Fact]
    public void Bk_tree_finds_exactly_what_comparing_all_pairs_finds_with_fewer_comparisons()
    {
        var random = new Random(11);
        // Clusters of near copies (a few bits flipped) among random hashes, as duplicates sit among distinct images.
        var hashes = new List<ulong>();
        for (int c = 0; c < 400; c++)
        {
            ulong centre = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            hashes.Add(centre);
            if (c % 4 == 0) hashes.Add(centre ^ (1UL << random.Next(64)) ^ (1UL << random.Next(64)));
        }
        var tree = new BkTree();
        var found = new HashSet<(int, int)>();
        for (int i = 0; i < hashes.Count; i++)
        {
            foreach (var (j, d) in tree.Within(hashes[i], 6))
            {
                Assert.Equal(PerceptualHash.Distance(hashes[i], hashes[j]), d);
                found.Add((j, i));
            }
            tree.Add(hashes[i], i);
        }
        var expected = new HashSet<(int, int)>();
        for (int i = 0; i < hashes.Count; i++)
            for (int j = 0; j < i; j++)
                if (PerceptualHash.Distance(hashes[i], hashes[j]) <= 6) expected.Add((j, i));

        Assert.Equal(expected.Order(), found.Order());
        Assert.True(expected.Count >= 100);
        long allPairs = (long)hashes.Count * (hashes.Count - 1) / 2;
        Assert.True(tree.Comparisons < allPairs, $"{tree.Comparisons} comparisons, all pairs {allPairs}");
    }
}
