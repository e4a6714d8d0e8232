using ImageClassifier.Imaging;
using ImageClassifier.Models;
using Onnx;
using static ImageClassifier.Export.Onnx.OnnxGraph;

namespace ImageClassifier.Export.Onnx;

/// <summary>
/// <see cref="Preprocessing"/> as graph nodes, in the order it computes: uint8 to float, RGB to BGR when asked,
/// times the scale, minus the per-channel mean, divided by the per-channel std. With these in the graph a
/// model takes raw pixels, and a deployment needs to know nothing but the input size.
/// </summary>
internal static class OnnxPreprocessing
{
    public static string Add(OnnxGraph graph, string pixels, Preprocessing preprocessing, int channels)
    {
        if ((preprocessing.Mean?.Length ?? channels) != channels || (preprocessing.Std?.Length ?? channels) != channels)
            throw new ModelException($"The model's preprocessing has {preprocessing.Mean?.Length ?? preprocessing.Std?.Length} per-channel values but it takes {channels} channels.");
        string x = graph.Node("Cast", "preprocessing/cast", [pixels], Int("to", (long)TensorProto.Types.DataType.Float));
        if (preprocessing.ChannelOrder.Equals("bgr", StringComparison.OrdinalIgnoreCase) && channels == 3)
            x = graph.Node("Gather", "preprocessing/bgr", [x, graph.Int64s("preprocessing/bgr_order", [2, 1, 0], [3])], Int("axis", 1));
        x = graph.Node("Mul", "preprocessing/scale", [x, graph.Floats("preprocessing/scale_factor", [preprocessing.Scale], [])]);
        long[] perChannel = [1, channels, 1, 1];
        if (preprocessing.Mean is { } mean)
            x = graph.Node("Sub", "preprocessing/mean", [x, graph.Floats("preprocessing/mean_values", mean, perChannel)]);
        if (preprocessing.Std is { } std)
            x = graph.Node("Div", "preprocessing/std", [x, graph.Floats("preprocessing/std_values", std, perChannel)]);
        return x;
    }
}
