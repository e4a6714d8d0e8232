using TorchSharp;

namespace ImageClassifier.Models;

/// <summary>
/// A composite layer (a backbone) whose parts can be frozen and fine-tuned one by one: conv1, bn1,
/// layer1..layer4 of a ResNet; features.0, features.2, ... of a VGG. Names are relative to the layer.
/// </summary>
public interface IStagedModule
{
    IEnumerable<(string Name, torch.nn.Module Module)> Stages { get; }
}
