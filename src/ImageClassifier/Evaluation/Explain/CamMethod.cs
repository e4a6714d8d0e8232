namespace ImageClassifier.Evaluation.Explain;

/// <summary>How channel weights are computed from the gradients.</summary>
public enum CamMethod
{
    /// <summary>Selvaraju et al. 2017: each channel's gradient averaged over the map.</summary>
    GradCam,

    /// <summary>Chattopadhyay et al. 2018: positive gradients weighted per pixel, which separates several objects of a class better.</summary>
    GradCamPlusPlus,
}

public static class CamMethods
{
    public static CamMethod Parse(string name) => name.ToLowerInvariant().Replace("-", "") switch
    {
        "gradcam" => CamMethod.GradCam,
        "gradcam++" or "gradcampp" or "gradcamplusplus" => CamMethod.GradCamPlusPlus,
        _ => throw new ArgumentException($"Unknown method '{name}'. Known: gradcam, gradcam++."),
    };

    /// <summary>The name the papers use ("Grad-CAM", "Grad-CAM++").</summary>
    public static string DisplayName(this CamMethod method) => method == CamMethod.GradCamPlusPlus ? "Grad-CAM++" : "Grad-CAM";

    /// <summary>The name the command line takes ("gradcam", "gradcam++").</summary>
    public static string OptionName(this CamMethod method) => method == CamMethod.GradCamPlusPlus ? "gradcam++" : "gradcam";
}
