using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Training;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass cv: k-fold (or stratified k-fold) cross-validation on a dataset's training split: a fresh model
/// per fold, each fold's accuracy, loss and macro F1 on the images it held out, and their mean ± std.
/// </summary>
public static class CvCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset: a name or a path, as for train (its training split is cross-validated).", required: true);
        var runtime = new RuntimeOptions();
        var feed = new FeedOptions();
        var folds = new Option<int>("--folds", "-k") { Description = "Number of folds.", DefaultValueFactory = _ => 5 };
        var stratified = new Option<bool>("--stratified") { Description = "Stratified folds: each fold keeps the class ratios (needs at least k images per class)." };
        var model = new Option<string>("--model", "-m") { Description = "Architecture: " + string.Join(", ", ModelRegistry.Entries.Select(e => e.Name)) + ".", DefaultValueFactory = _ => "tutorial-cnn" };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs per fold.", DefaultValueFactory = _ => 5 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per training batch.", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
        var classWeights = new Option<string?>("--class-weights") { Description = "Loss weight per class: 'balanced' or a comma-separated list." };

        var command = new Command("cv", "Cross-validate a model: k folds, each fold's metrics, and their mean and standard deviation.");
        data.AddTo(command);
        runtime.AddTo(command);
        feed.AddTo(command, streaming: false);
        foreach (var option in new Option[] { folds, stratified, model, epochs, batchSize, lr, optimizer, classWeights }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            int seed = parse.GetValue(runtime.Seed), k = parse.GetValue(folds);
            var dataset = data.Load(parse, terminal).Train;
            dataset.EnsureTrainable();
            var parts = parse.GetValue(stratified)
                ? Splits.StratifiedKFold(dataset.Labels, dataset.ClassCount, k, seed, dataset.ClassNames)
                : Splits.KFold(dataset.Count, k, seed);
            string kind = parse.GetValue(stratified) ? "stratified " : "";
            log.WriteLine($"{k}-fold {kind}cross-validation of {parse.GetValue(model)} on {dataset.Name}: {dataset.Count:N0} images, {parse.GetValue(epochs)} epochs per fold");

            TrainingOptions OptionsFor(ImageDataset train)
            {
                var options = new TrainingOptions
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), LearningRate = parse.GetValue(lr),
                    Optimizer = parse.GetValue(optimizer)!, Seed = seed,
                    ClassWeights = TrainCommand.ParseClassWeights(parse.GetValue(classWeights), train.Labels, train.ClassCount),
                    Augmentation = feed.Augmentation(parse, train.Labels, train.ClassCount, TextWriter.Null),
                    Sampler = feed.Sampler(parse, train.Labels, seed),
                };
                options.Validate();
                return options;
            }
            OptionsFor(dataset); // bad options fail before the first fold trains
            Classifier NewModel(ImageDataset train)
            {
                TorchSharp.torch.manual_seed(seed); // every fold starts from the same initial weights
                return Classifier.Create(parse.GetValue(model)!, train.Shape, train.ClassNames).To(device);
            }
            var result = CrossValidation.Run(dataset, parts, NewModel, OptionsFor,
                fold => log.WriteLine($"Fold {fold.Fold}/{k}: accuracy {fold.Accuracy:0.0000}, loss {fold.Loss:0.0000}, macro F1 {fold.MacroF1:0.0000} ({fold.ValidationImages:N0} held out, {fold.Seconds:0}s)"));

            if (json)
            {
                terminal.WriteJson(new
                {
                    dataset = dataset.Name, model = parse.GetValue(model), folds = k, stratified = parse.GetValue(stratified), seed,
                    fold_results = result.Folds,
                    mean = new { accuracy = result.Accuracy.Mean, loss = result.Loss.Mean, macro_f1 = result.MacroF1.Mean },
                    std = new { accuracy = result.Accuracy.Std, loss = result.Loss.Std, macro_f1 = result.MacroF1.Std },
                });
                return 0;
            }
            var table = new Table().AddColumns("Fold", "Train", "Held out", "Accuracy", "Loss", "Macro F1");
            foreach (var fold in result.Folds)
                table.AddRow(fold.Fold.ToString(), $"{fold.TrainImages:N0}", $"{fold.ValidationImages:N0}", $"{fold.Accuracy:0.0000}", $"{fold.Loss:0.0000}", $"{fold.MacroF1:0.0000}");
            table.AddRow("mean ± std", "", "", Markup.Escape(result.Accuracy.ToString()), Markup.Escape(result.Loss.ToString()), Markup.Escape(result.MacroF1.ToString()));
            terminal.Render(table);
            terminal.Out.WriteLine("(std is the population standard deviation over the folds, as numpy.std computes it)");
            return 0;
        });
        return command;
    }
}
