using ImageClassifier.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) and Grad-CAM++ (Chattopadhyay et al. 2018) for any model with
/// a convolution layer. A forward hook captures the chosen layer's output A [N, K, h, w]; the
/// gradients G of each image's class score (the logit, before softmax, as in the paper) with
/// respect to A give one weight per channel; the map is ReLU(sum_k w_k A_k), resized bilinearly to
/// the input and divided by its maximum, so it lies in [0,1] (a map without positive evidence stays
/// all zero rather than being stretched). Images are independent (the model runs in inference
/// mode), so a batch gives the same maps as its images one by one.
/// </summary>
public sealed class GradCam
{
    readonly Classifier model;

    public GradCam(Classifier model, string? layer = null, CamMethod method = CamMethod.GradCam)
    {
        this.model = model;
        Method = method;
        Candidates = TargetLayers.Find(model);
        if (Candidates.Count == 0)
            throw new ModelException($"Grad-CAM needs a convolution layer, but model '{model.Spec.Architecture}' has none " +
                $"(its layers: {string.Join(", ", model.Network.Layers.Select(l => l.Name))}). It explains CNNs such as tutorial-cnn.");
        Target = layer is null ? Candidates[^1] : Resolve(layer);
    }

    /// <summary>The layers Grad-CAM can use, in the order the forward pass finishes them (a block after the convolutions inside it); the last is the default.</summary>
    public IReadOnlyList<TargetLayer> Candidates { get; }
    public IReadOnlyList<string> Layers => Candidates.Select(c => c.Name).ToList();
    public TargetLayer Target { get; }
    public string Layer => Target.Name;
    public CamMethod Method { get; }

    /// <summary>Explains a uint8 batch [N, C, H, W] (resized to the model's input when its size differs); <paramref name="targetClass"/>: one class for all images, or each one's predicted class.</summary>
    public GradCamResult Explain(Tensor bytes, int? targetClass = null) =>
        Explain(bytes, targetClass is int c ? Enumerable.Repeat(c, (int)CheckBatch(bytes)).ToArray() : null);

    /// <summary>Explains a uint8 batch [N, C, H, W] for one class per image (null: each one's predicted class).</summary>
    public GradCamResult Explain(Tensor bytes, IReadOnlyList<int>? targetClasses)
    {
        long count = CheckBatch(bytes);
        if (targetClasses is not null)
        {
            if (targetClasses.Count != count) throw new ArgumentException($"Give one class per image: {count} images but {targetClasses.Count} classes.");
            foreach (int c in targetClasses) CheckClass(model, c);
        }
        using var scope = NewDisposeScope();
        model.Network.eval();
        using var withGradients = enable_grad();
        // The input asks for gradients so that the graph reaches the layer even when its weights are frozen.
        var input = model.Input(bytes).requires_grad_(true);
        var (logits, activation) = Forward(input, scope);

        var probabilities = logits.detach().softmax(1).cpu();
        var predicted = probabilities.argmax(1);
        var classes = targetClasses is null ? predicted.to(model.Device) : tensor(targetClasses.Select(c => (long)c).ToArray(), device: model.Device);
        var score = logits.gather(1, classes.unsqueeze(1)).sum();
        var grad = autograd.grad([score], [activation])[0];

        var a = activation.detach();
        var weights = Method == CamMethod.GradCamPlusPlus ? PlusPlusWeights(grad, a) : grad.mean([2, 3]);
        var cam = nn.functional.relu((weights.unsqueeze(-1).unsqueeze(-1) * a).sum(1, keepdim: true));
        var heatmaps = Normalise(nn.functional.interpolate(cam, [bytes.shape[2], bytes.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1));

        return new GradCamResult(model.ClassNames, Layer, Method,
            heatmaps.cpu().MoveToOuterDisposeScope(), weights.cpu().MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope(),
            classes.cpu().data<long>().Select(c => (int)c).ToArray());
    }

    /// <summary>The index of a class given by name or number, with the valid choices in the error.</summary>
    public static int ResolveClass(Classifier model, string nameOrIndex)
    {
        int found = model.ClassNames.ToList().FindIndex(n => n.Equals(nameOrIndex, StringComparison.OrdinalIgnoreCase));
        if (found >= 0) return found;
        if (int.TryParse(nameOrIndex, out int index)) return CheckClass(model, index);
        throw new ModelException($"The model has no class '{nameOrIndex}'. Its classes: {string.Join(", ", model.ClassNames)} (or an index 0 to {model.ClassNames.Count - 1}).");
    }

    static int CheckClass(Classifier model, int index) => index >= 0 && index < model.ClassNames.Count ? index
        : throw new ModelException($"Class index {index} is out of range: the model has {model.ClassNames.Count} classes, 0 to {model.ClassNames.Count - 1} ({string.Join(", ", model.ClassNames)}).");

    static long CheckBatch(Tensor bytes)
    {
        if (bytes.dim() != 4 || bytes.dtype != ScalarType.Byte)
            throw new ArgumentException($"Expected a uint8 batch [N, C, H, W], got {bytes.dtype} [{string.Join(", ", bytes.shape)}].");
        return bytes.shape[0];
    }

    TargetLayer Resolve(string name)
    {
        var match = Candidates.FirstOrDefault(c => c.Name == name) ?? Candidates.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        string known = string.Join(", ", Layers);
        bool exists = TargetLayers.AllModules(model).Any(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        throw new ModelException(exists
            ? $"Layer '{name}' is not a convolution layer whose feature map Grad-CAM can use. Convolution layers: {known}."
            : $"The model has no layer '{name}'. Convolution layers: {known}.");
    }

    // The hook keeps the layer's output and hands the rest of the network a copy: containers such as
    // Sequential dispose an output once the next layer has used it, and in-place operations further
    // on (relu_, out += identity) would change the captured activation. The output also leaves the
    // dispose scope it was made in (TorchVision's ResNet disposes all but its result on the way out)
    // for the caller's scope. All three seen in the tests.
    (Tensor Logits, Tensor Activation) Forward(Tensor input, DisposeScope scope)
    {
        Tensor? captured = null;
        var hook = Target.Module.register_forward_hook((_, _, output) =>
        {
            captured?.Dispose(); // a layer run twice: the last run counts
            captured = output.DetachFromDisposeScope();
            return output.clone();
        });
        Tensor logits;
        try { logits = model.Network.call(input); }
        finally
        {
            hook.remove();
            if (captured is not null) scope.Attach(captured);
        }
        return (logits, captured ?? throw new ModelException($"Layer '{Layer}' did not run in the forward pass, so Grad-CAM cannot use it."));
    }

    // Grad-CAM++ in closed form for an exponential of the score (eq. 19 of the paper, as pytorch-grad-cam
    // computes it): alpha = G^2 / (2 G^2 + sum(A) G^3) = 1 / (2 + sum(A) G) where G != 0, and
    // w_k = sum_ij alpha ReLU(G). The reduced form avoids G^3 underflowing for small gradients.
    static Tensor PlusPlusWeights(Tensor grad, Tensor activation)
    {
        var sum = activation.sum([2, 3], keepdim: true);
        var denominator = sum * grad + 2;
        var alpha = where(grad.ne(0) & denominator.ne(0), denominator.reciprocal(), zeros_like(grad));
        return (alpha * nn.functional.relu(grad)).sum([2, 3]);
    }

    static Tensor Normalise(Tensor maps)
    {
        var max = maps.amax([1, 2], keepdim: true);
        return where(max > 0, maps / max, zeros_like(maps)).clamp(0, 1);
    }
}
