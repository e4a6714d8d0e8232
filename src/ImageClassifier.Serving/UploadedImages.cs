using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Serving;

/// <summary>
/// Turns an upload into the model's input, refusing what it should not decode: the format is sniffed from the
/// bytes (415 when they are no image), the size is read from the header and checked before any pixel memory
/// is allocated (422 for a 50,000 x 50,000 claim), and truncated or corrupt data is refused (422), not padded.
/// The decoding is `imgclass predict`'s (Data.ImageFileInputs), so both give the same predictions.
/// </summary>
public static class UploadedImages
{
    public static ImageFileInput Read(Upload upload, ImageShape input, ServerOptions options)
    {
        if (ImageFormats.Detect(upload.Data) is null)
            throw RequestProblem.NotAnImage($"'{upload.Name}' is not an image: its content starts with {ImageDecoder.DescribeStart(upload.Data)}; " +
                $"expected {ImageFormats.SupportedList} (recognised by content, not by name or Content-Type).");
        ImageHeader header;
        try { header = ImageHeader.Read(upload.Data, upload.Name); }
        catch (ImageDecodeException e) { throw RequestProblem.Unreadable(e.Message); }
        if (header.Width > options.MaxImageSide || header.Height > options.MaxImageSide)
            throw RequestProblem.Unreadable($"'{upload.Name}': its {header.Format.DisplayName()} header declares {header.Width} x {header.Height} pixels; " +
                $"this server decodes images of at most {options.MaxImageSide} x {options.MaxImageSide} (--max-image-side). Scale it down first.");
        try { return ImageFileInputs.Decode(upload.Name, upload.Data, input); }
        catch (ImageDecodeException e) { throw RequestProblem.Unreadable(e.Message); }
    }
}
