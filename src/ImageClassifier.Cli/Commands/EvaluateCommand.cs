using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using ImageClassifier.Serialization;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass evaluate: a saved model's loss and accuracy on a dataset's test (or train) split.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var data = new DataOptions("The dataset to evaluate on (default: the one the model was trained on).");
        var runtime = new RuntimeOptions();
        var split = new Option<string>("--split") { Description = "test or train.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train");
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per inference batch.", DefaultValueFactory = _ => 512 };

        var command = new Command("evaluate", "Evaluate a trained model on a dataset: loss and accuracy.") { modelPath };
        data.AddTo(command);
        runtime.AddTo(command, seed: false);
        command.Options.Add(split);
        command.Options.Add(batchSize);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            using var model = ModelFile.Load(parse.GetValue(modelPath)!).To(device);
            string source = parse.GetValue(data.Data!) ?? model.Training?.Dataset
                ?? throw new ArgumentException("The model does not record its dataset: give one with --data.");
            var splits = data.Load(parse, terminal, source, model.InputShape);
            var dataset = parse.GetValue(split) == "train" ? splits.Train
                : splits.Test ?? throw new ArgumentException($"Dataset '{splits.Train.Name}' has no test split: use --split train, or give a dataset with one.");
            var result = model.Evaluate(dataset, parse.GetValue(batchSize));
            if (parse.GetValue(runtime.Json))
                terminal.WriteJson(new { dataset = result.Dataset, images = result.Count, loss = result.Loss, accuracy = result.Accuracy });
            else
                terminal.Render(new Table().AddColumns("Dataset", "Images", "Loss", "Accuracy")
                    .AddRow(result.Dataset, $"{result.Count:N0}", $"{result.Loss:0.0000}", $"{result.Accuracy:P2}"));
            return 0;
        });
        return command;
    }
}
