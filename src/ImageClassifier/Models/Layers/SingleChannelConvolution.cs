using static TorchSharp.torch;
using static TorchSharp.torch.TensorIndex;

namespace ImageClassifier.Models.Layers;

/// <summary>
/// A float32 convolution of a one-channel image as one matrix multiply: the kernel's k x k shifted views of the image side
/// by side as columns (and a column of ones, so the bias is one more row of weights), times the weights. libtorch 2.x's
/// oneDNN kernel is slow for a single input channel: the tutorial CNN's first layer at batch 128 (28 x 28 to 32 channels,
/// relu) took 11.9 ms forward and backward, against 6.6 ms this way and PyTorch 1.13's 7.1. Three input channels gain
/// nothing (stacking 27 views costs more than oneDNN's kernel), so only one is taken. The product comes out NHWC, the
/// channels-last layout the layers after it take, without a copy.
/// </summary>
internal static class SingleChannelConvolution
{
    public static bool Takes(Tensor input) => input.dtype == ScalarType.Float32 && input.dim() == 4 && input.shape[1] == 1;

    /// <param name="input">[N, 1, H, W], padded already.</param>
    /// <param name="weight">[filters, 1, k, k].</param>
    /// <param name="relu">Applies relu in place on the product (a pass and a buffer fewer than a separate layer).</param>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, long stride, bool relu)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[0], filters = weight.shape[0], k = weight.shape[2];
        long height = (input.shape[2] - k) / stride + 1, width = (input.shape[3] - k) / stride + 1;
        var columns = new List<Tensor>();
        for (long i = 0; i < k; i++)
            for (long j = 0; j < k; j++)
                columns.Add(input[Colon, Single(0), Slice(i, i + stride * (height - 1) + 1, stride), Slice(j, j + stride * (width - 1) + 1, stride)]);
        var weights = weight.view(filters, k * k);
        if (bias is not null)
        {
            columns.Add(ones(n, height, width, input.dtype, input.device));
            weights = cat([weights, bias.view(filters, 1)], 1);
        }
        // The weights go in transposed and contiguous: libtorch computes the gradient of a column-major right-hand side
        // as grad^T x columns, a [filters x N*H*W] by [N*H*W x k*k+1] product 3-4x slower than columns^T x grad.
        var product = stack(columns, 3).view(-1, columns.Count).mm(weights.t().contiguous());
        if (relu) product.relu_();
        return product.view(n, height, width, filters).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
