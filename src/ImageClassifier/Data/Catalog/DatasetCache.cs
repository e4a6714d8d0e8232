namespace ImageClassifier.Data;

/// <summary>The per-user folder where downloaded datasets are kept, one subfolder per dataset.</summary>
public static class DatasetCache
{
    /// <summary>
    /// <c>$IMGCLASS_CACHE/datasets</c>, else <c>$XDG_CACHE_HOME/imageclassifier/datasets</c>,
    /// else <c>~/.cache/imageclassifier/datasets</c> (on Windows, under LocalApplicationData).
    /// </summary>
    public static string DefaultRoot() => Resolve(
        Environment.GetEnvironmentVariable,
        OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"));

    /// <summary>The rule of <see cref="DefaultRoot"/>, with the environment passed in so it can be tested.</summary>
    internal static string Resolve(Func<string, string?> environment, string userCache)
    {
        string? own = environment("IMGCLASS_CACHE");
        if (!string.IsNullOrEmpty(own)) return Path.Combine(own, "datasets");
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        string? xdg = environment("XDG_CACHE_HOME");
        string cache = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : userCache;
        return Path.Combine(cache, "imageclassifier", "datasets");
    }
}
