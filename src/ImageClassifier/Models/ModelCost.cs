namespace ImageClassifier.Models;

/// <summary>
/// What one image costs a model in floating-point operations: 2 per multiply-add of its convolutions and dense
/// layers for the forward pass, and three times that for a training step (the backward pass computes the
/// gradients of both the inputs and the weights: twice the forward work), the usual estimate.
/// </summary>
public static class ModelCost
{
    public static long ForwardFlops(Classifier model)
    {
        long multiplyAdds = 0;
        int[] shape = model.Spec.InputShape;
        foreach (var layer in model.Network.Layers)
        {
            multiplyAdds += layer.Spec.MultiplyAdds(shape);
            shape = layer.OutputShape;
        }
        return 2 * multiplyAdds;
    }

    public static long TrainingFlops(Classifier model) => 3 * ForwardFlops(model);
}
