using System.Globalization;

namespace ImageClassifier.IO;

/// <summary>
/// Limits against hostile or broken input, checked before anything is decoded or allocated: a few bytes
/// of header must not be able to claim gigabytes. Each has a default sized for real data with room to
/// spare, and can be raised (or lowered) for a process by an environment variable, or by setting the
/// property (tests and embedding applications). See docs/RELIABILITY.md, "Hostile input".
/// </summary>
public static class InputLimits
{
    /// <summary>Largest image decoded, in pixels (width x height from the header). Default 100 megapixels:
    /// a 100-megapixel image takes 400 MB as RGBA while decoding. IMGCLASS_MAX_IMAGE_MEGAPIXELS.</summary>
    public static long MaxImagePixels { get => maxImagePixels ??= Read("IMGCLASS_MAX_IMAGE_MEGAPIXELS", 100, 1_000_000); set => maxImagePixels = value; }
    static long? maxImagePixels;

    /// <summary>Largest image file read, in bytes. Default 512 MB. IMGCLASS_MAX_IMAGE_FILE_MB.</summary>
    public static long MaxImageFileBytes { get => maxImageFileBytes ??= Read("IMGCLASS_MAX_IMAGE_FILE_MB", 512, 1L << 20); set => maxImageFileBytes = value; }
    static long? maxImageFileBytes;

    /// <summary>Largest image `inspect` writes its views at, in pixels; larger images are inspected at a
    /// reduced size that fits (aspect kept), so inspection stays within a few hundred MB. Default 16 megapixels.
    /// IMGCLASS_MAX_VIEW_MEGAPIXELS.</summary>
    public static long MaxViewPixels { get => maxViewPixels ??= Read("IMGCLASS_MAX_VIEW_MEGAPIXELS", 16, 1_000_000); set => maxViewPixels = value; }
    static long? maxViewPixels;

    /// <summary>Most parameters a model may have (a model file's, or one built for training). Default 250
    /// million: 1 GB of float32 weights, about 4 GB to train with Adam. IMGCLASS_MAX_MODEL_MILLION_PARAMETERS.</summary>
    public static long MaxModelParameters { get => maxModelParameters ??= Read("IMGCLASS_MAX_MODEL_MILLION_PARAMETERS", 250, 1_000_000); set => maxModelParameters = value; }
    static long? maxModelParameters;

    /// <summary>Largest uncompressed entry read from a model file (its weights). Default 2 GB. IMGCLASS_MAX_MODEL_FILE_MB.</summary>
    public static long MaxModelEntryBytes { get => maxModelEntryBytes ??= Read("IMGCLASS_MAX_MODEL_FILE_MB", 2048, 1L << 20); set => maxModelEntryBytes = value; }
    static long? maxModelEntryBytes;

    /// <summary>Most records one CIFAR batch file may hold (the official ones hold 10,000). Default 100,000
    /// (300 MB). IMGCLASS_MAX_CIFAR_RECORDS.</summary>
    public static long MaxCifarRecords { get => maxCifarRecords ??= Read("IMGCLASS_MAX_CIFAR_RECORDS", 100_000, 1); set => maxCifarRecords = value; }
    static long? maxCifarRecords;

    /// <summary>"(set IMGCLASS_X to raise it)": the hint every limit's error ends with.</summary>
    public static string RaiseHint(string variable) => $"set {variable} to raise the limit";

    // Read when first asked for (not in a type initialiser), so a bad value is a clear error, not a TypeInitializationException.
    static long Read(string variable, long defaultValue, long unit)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return defaultValue * unit;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0 || double.IsNaN(value))
            throw new ArgumentException($"{variable}={text}: expected a positive number.");
        return (long)Math.Min(value * unit, long.MaxValue / 2);
    }
}
