using ImageClassifier.Models.Layers;

namespace ImageClassifier.Models;

/// <summary>
/// Everything needed to rebuild a network: its architecture name, input shape ([C, H, W]),
/// number of classes and layer list. Saved as JSON in the model file. <see cref="TrainableFrom"/>
/// names the first trainable part (see SequentialNetwork.Parts); everything before it is frozen,
/// as it was when the model was saved. Null: all trainable. <see cref="BatchNormInference"/> keeps
/// every BatchNorm layer in inference mode in training too (its moving statistics fixed, its scale
/// and shift still trained when unfrozen), as Keras recommends when fine-tuning a pretrained base.
/// </summary>
public sealed record ModelSpec(string Architecture, int[] InputShape, int ClassCount, IReadOnlyList<LayerSpec> Layers,
    string? TrainableFrom = null, bool BatchNormInference = false);
