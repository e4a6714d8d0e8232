using System.CommandLine;
using ImageClassifier.Data;
using ImageClassifier.Inference;
using ImageClassifier.Models;
using ImageClassifier.Serialization;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// A saved model and the split of a dataset to evaluate it on: the argument and options that
/// evaluate and report share, and the loading they both do.
/// </summary>
public sealed class EvaluationInputs
{
    public readonly Argument<string> ModelPath = new("model") { Description = "The model file (or the training output folder holding model.imgclass), or an exported .onnx model." };
    public readonly DataOptions Data = new("The dataset to evaluate on (default: the one the model was trained on).");
    public readonly RuntimeOptions Runtime = new();
    public readonly Option<string> Split = new("--split") { Description = "test or train. A folder of class subfolders without train/ and test/ is evaluated whole.", DefaultValueFactory = _ => "test" };
    public readonly Option<int> BatchSize = new("--batch-size", "-b") { Description = "Images per inference batch.", DefaultValueFactory = _ => 512 };

    public EvaluationInputs() => Split.AcceptOnlyFromAmong("test", "train");

    public void AddTo(Command command)
    {
        command.Arguments.Add(ModelPath);
        Data.AddTo(command);
        Runtime.AddTo(command, seed: false);
        command.Options.Add(Split);
        command.Options.Add(BatchSize);
    }

    /// <summary>
    /// Loads the model (on the chosen device) and the split: by default the model's own dataset's test split,
    /// or all of a folder of class subfolders that has no train/test layout.
    /// </summary>
    public (Classifier Model, ImageDataset Dataset) Load(ParseResult parse, Terminal terminal)
    {
        var device = Runtime.Apply(parse);
        string path = parse.GetValue(ModelPath)!;
        if (ModelLoader.IsOnnx(path))
            throw new ArgumentException($"{path}: this command needs the imgclass model file (model.imgclass); an exported ONNX model can be evaluated and predicted with.");
        var model = ModelFile.Load(path).To(device);
        return (model, DatasetFor(parse, terminal, model));
    }

    /// <summary>The same for any model evaluate can run: a model file, or an exported .onnx file (on ONNX Runtime).</summary>
    public (IImageClassifier Model, ImageDataset Dataset) LoadAny(ParseResult parse, Terminal terminal)
    {
        var model = Runtime.OpenModel(parse, parse.GetValue(ModelPath)!);
        return (model, DatasetFor(parse, terminal, model));
    }

    ImageDataset DatasetFor(ParseResult parse, Terminal terminal, IImageClassifier model)
    {
        try
        {
            string? given = parse.GetValue(Data.Data!);
            string source = given ?? model.TrainedOn
                ?? throw new ArgumentException("The model does not record its dataset: give one with --data.");
            var splits = Data.Load(parse, terminal, source, model.InputShape);
            var dataset = parse.GetValue(Split) == "train" ? splits.Train
                : splits.Test is { } test ? test
                // A folder given with --data is the evaluation set; the model's own unsplit folder is what it learnt from.
                : splits.Unsplit && given is not null ? AllOf(splits.Train, source, model, terminal)
                : throw new ArgumentException(splits.Unsplit
                    ? $"'{source}', the folder the model was trained on, has no test split: give other images with --data, or use --split train."
                    : $"Dataset '{splits.Train.Name}' has no test split: use --split train, or give a dataset with one.");
            return dataset;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A folder of class subfolders with no train/test layout is the set to evaluate: all of it, said once.</summary>
    static ImageDataset AllOf(ImageDataset whole, string source, IImageClassifier model, Terminal terminal)
    {
        bool trainedOn = Path.GetFullPath(source) == model.TrainedOn;
        terminal.Error.WriteLine($"note: {source} has no train/test layout: evaluating all {whole.Count:N0} images" +
            (trainedOn ? " (the model was trained on this folder)" : ""));
        return whole;
    }
}
