using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Folders of real image files made from real Fashion-MNIST images.</summary>
public static class ImageFolders
{
    /// <summary>
    /// Writes root/train/&lt;class&gt;/*.png and root/test/&lt;class&gt;/*.png with the first
    /// <paramref name="perClass"/> (and a quarter as many test) images of the given classes.
    /// </summary>
    public static string FashionMnistPngs(string root, int[] classes, int perClass)
    {
        Write(FashionMnist.Train, Path.Combine(root, "train"), classes, perClass);
        Write(FashionMnist.Test, Path.Combine(root, "test"), classes, Math.Max(perClass / 4, 1));
        return root;
    }

    static void Write(ImageDataset data, string folder, int[] classes, int perClass)
    {
        foreach (int c in classes)
        {
            string name = data.ClassNames[c].Replace('/', '-');
            var indices = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).Take(perClass);
            foreach (int i in indices)
                ImageEncoder.WritePng(Path.Combine(folder, name, $"{i:D5}.png"), data.Image(i), data.Shape);
        }
    }
}
