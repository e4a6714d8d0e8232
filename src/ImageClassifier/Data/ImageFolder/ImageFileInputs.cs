using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// An image file read as a model's input: the image as decoded (the input's channels, its own size),
/// its pixels at the input shape, and a note when it had to be resized.
/// </summary>
public sealed record ImageFileInput(string Path, DecodedImage Image, byte[] Pixels, string? Note);

/// <summary>Image files read as a model's inputs, as a chunk of the files asked for: the images read and the files skipped.</summary>
public sealed record ImageFileBatch(IReadOnlyList<ImageFileInput> Images, IReadOnlyList<SkippedFile> Skipped);

/// <summary>
/// Image files and folders given by a user (predict, explain): folders searched recursively, images recognised
/// by content, each decoded with the input's channels and resized to its size with a note saying so. Files that
/// are not readable images are listed as skipped, or thrown with strict.
/// </summary>
public static class ImageFileInputs
{
    /// <summary>The files that <paramref name="paths"/> name, folders expanded (sorted by path); a path that is neither is an error.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(ImageFolderLayout.FilesUnder(path));
            else if (File.Exists(path)) files.Add(path);
            else throw new DatasetException("no such file or folder.", path);
        }
        return files;
    }

    /// <summary>
    /// The files in batches of at most <paramref name="batchSize"/>, each read when it is reached, so that one batch
    /// of images is in memory at a time. Every path is checked before the first image is decoded.
    /// </summary>
    public static IEnumerable<ImageFileBatch> ReadInBatches(IEnumerable<string> paths, ImageShape shape, int batchSize, bool strict = false)
    {
        var files = Expand(paths);
        return files.Chunk(batchSize).Select(chunk => Read(chunk, shape, strict));
    }

    /// <summary>Reads image files (not folders) as inputs of <paramref name="shape"/>.</summary>
    public static ImageFileBatch Read(IEnumerable<string> files, ImageShape shape, bool strict = false)
    {
        var images = new List<ImageFileInput>();
        var skipped = new List<SkippedFile>();
        foreach (string file in files)
        {
            try
            {
                images.Add(FromImage(file, ImageDecoder.DecodeFileNative(file, shape.Channels), shape));
            }
            catch (ImageDecodeException e) when (!strict)
            {
                skipped.Add(new SkippedFile(file, e.Reason));
            }
        }
        return new ImageFileBatch(images, skipped);
    }

    /// <summary>
    /// Encoded image bytes (an upload, say) read as predict reads a file: decoded with the input's channels and
    /// resized to its size with a note. <paramref name="source"/> names the image; not an image throws <see cref="ImageDecodeException"/>.
    /// </summary>
    public static ImageFileInput Decode(string source, ReadOnlySpan<byte> data, ImageShape shape) =>
        FromImage(source, ImageDecoder.DecodeNative(data, shape.Channels, source), shape);

    static ImageFileInput FromImage(string source, DecodedImage image, ImageShape shape)
    {
        bool resized = image.Width != shape.Width || image.Height != shape.Height;
        return new ImageFileInput(source, image, resized ? image.ResizeTo(shape).Pixels : image.Pixels,
            resized ? $"resized from {image.Width}x{image.Height} to {shape.Width}x{shape.Height}" : null);
    }
}
