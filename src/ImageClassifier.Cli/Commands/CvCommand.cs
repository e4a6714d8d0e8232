using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass cv: k-fold (or stratified k-fold) cross-validation on a dataset's training split with train's recipe:
/// a fresh model per fold, each fold's accuracy, loss and macro F1 on the images it held out, and their mean ± std.
/// </summary>
public static class CvCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset: a name or a path, as for train (its training split is cross-validated).", required: true);
        var runtime = new RuntimeOptions();
        var recipeOptions = new RecipeOptions();
        var feed = new FeedOptions();
        var folds = new Option<int>("--folds", "-k") { Description = "Number of folds.", DefaultValueFactory = _ => 5 };
        var stratified = new Option<bool>("--stratified") { Description = "Stratified folds: each fold keeps the class ratios (needs at least k images per class)." };

        var command = new Command("cv", "Cross-validate train's recipe: k folds, each fold's metrics, and their mean and standard deviation.");
        data.AddTo(command);
        runtime.AddTo(command);
        recipeOptions.AddTo(command);
        feed.AddTo(command, streaming: false);
        command.Options.Add(folds);
        command.Options.Add(stratified);
        command.SetRun((parse, terminal) =>
        {
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            int k = parse.GetValue(folds);
            var recipe = recipeOptions.Recipe(parse, runtime.Seed, feed) with { Device = runtime.Apply(parse) };
            int seed = recipe.Seed; // --seed, else --config's
            var dataset = data.Load(parse, terminal).Train;
            dataset.EnsureTrainable();
            var parts = parse.GetValue(stratified)
                ? Splits.StratifiedKFold(dataset.Labels, dataset.ClassCount, k, seed, dataset.ClassNames)
                : Splits.KFold(dataset.Count, k, seed);
            string kind = parse.GetValue(stratified) ? "stratified " : "";
            log.WriteLine($"{k}-fold {kind}cross-validation of {recipe.Model} on {dataset.Name}: {dataset.Count:N0} images, up to {recipe.Epochs} epochs per fold");

            var result = RecipeOptions.WithOptionNames(() => recipe.CrossValidate(dataset, parts,
                fold => log.WriteLine($"Fold {fold.Fold}/{k}: accuracy {fold.Accuracy:0.0000}, loss {fold.Loss:0.0000}, macro F1 {fold.MacroF1:0.0000} ({fold.ValidationImages:N0} held out, {fold.Epochs} epochs, {fold.Seconds:0}s)")));

            if (json)
            {
                terminal.WriteJson(new
                {
                    dataset = dataset.Name, model = recipe.Model, folds = k, stratified = parse.GetValue(stratified), seed,
                    fold_results = result.Folds,
                    mean = new { accuracy = result.Accuracy.Mean, loss = result.Loss.Mean, macro_f1 = result.MacroF1.Mean },
                    std = new { accuracy = result.Accuracy.Std, loss = result.Loss.Std, macro_f1 = result.MacroF1.Std },
                });
                return 0;
            }
            var table = new Table().AddColumns("Fold", "Train", "Held out", "Epochs", "Accuracy", "Loss", "Macro F1");
            foreach (var fold in result.Folds)
                table.AddRow(fold.Fold.ToString(), $"{fold.TrainImages:N0}", $"{fold.ValidationImages:N0}", fold.Epochs.ToString(), $"{fold.Accuracy:0.0000}", $"{fold.Loss:0.0000}", $"{fold.MacroF1:0.0000}");
            table.AddRow("mean ± std", "", "", "", Markup.Escape(result.Accuracy.ToString()), Markup.Escape(result.Loss.ToString()), Markup.Escape(result.MacroF1.ToString()));
            terminal.Render(table);
            terminal.Out.WriteLine("(std is the population standard deviation over the folds, as numpy.std computes it)");
            return 0;
        });
        return command;
    }
}
