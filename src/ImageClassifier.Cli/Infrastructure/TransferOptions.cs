using System.CommandLine;
using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Recipes;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>The train options for transfer learning and fine-tuning: a pretrained backbone, its two stages, its head.</summary>
public sealed class TransferOptions
{
    public readonly Option<string?> Pretrained = new("--pretrained") { Description = "Start from a pretrained backbone (" + string.Join(", ", PretrainedRegistry.Configs.Select(c => c.Name)) + "): its base frozen, a new head trained on it, then optionally fine-tuned. Its preprocessing is applied automatically; grayscale and small images are adapted." };
    public readonly Option<string?> Weights = new("--weights") { Description = "Start the --model backbone (" + string.Join(", ", ModelRegistry.Entries.Where(e => e.Base is not null).Select(e => e.Name)) + ") from your weights: safetensors, a torch.save state dict or a TorchSharp file, with torchvision names (fc./classifier. keys are ignored)." };
    public readonly Option<int?> FreezeEpochs = new("--freeze-epochs") { Description = "Transfer stage 1: epochs training the head on the frozen base (default --epochs)." };
    public readonly Option<int> FineTuneEpochs = new("--fine-tune-epochs") { Description = "Transfer stage 2: epochs fine-tuning from --fine-tune-at onward (default 0: none)." };
    public readonly Option<double> FineTuneLr = new("--fine-tune-lr") { Description = "Stage 2's learning rate.", DefaultValueFactory = _ => 1e-5 };
    public readonly Option<string?> FineTuneAt = new("--fine-tune-at") { Description = "Stage 2 trains this part and all after it: a name (layer3, layer4.1, features.24, dense) or an index; default the whole network." };
    public readonly Option<double?> DiscriminativeLr = new("--discriminative-lr") { Description = "Stage 2: each earlier backbone stage gets this factor times the rate of the one after it (e.g. 0.5)." };
    public readonly Option<bool> FineTuneBatchNorm = new("--fine-tune-batch-norm") { Description = "Stage 2: let batch norm layers use and update batch statistics (by default they stay in inference mode, as Keras recommends for fine-tuning)." };
    public readonly Option<int> HeadUnits = new("--head-units") { Description = "Units of the new head's hidden Dense layer.", DefaultValueFactory = _ => 256 };
    public readonly Option<double> HeadDropout = new("--head-dropout") { Description = "Dropout rate of the new head.", DefaultValueFactory = _ => 0.2 };
    public readonly Option<bool> NoFeatureCache = new("--no-feature-cache") { Description = "Stage 1: run the frozen base every epoch instead of computing its features once." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Pretrained, Weights, FreezeEpochs, FineTuneEpochs, FineTuneLr, FineTuneAt, DiscriminativeLr, FineTuneBatchNorm, HeadUnits, HeadDropout, NoFeatureCache })
            command.Options.Add(option);
    }

    public bool IsTransfer(ParseResult parse) => parse.GetValue(Pretrained) is not null || parse.GetValue(Weights) is not null;

    /// <summary>
    /// The transfer part of the recipe: <paramref name="configured"/> (a preset's or --config's, else the defaults) with the
    /// options given on the command line in its place; null when neither names pretrained weights. <paramref name="imageSize"/> is --image-size.
    /// </summary>
    public TransferRecipe? Recipe(ParseResult parse, (int Height, int Width)? imageSize, TransferRecipe? configured = null)
    {
        if (!IsTransfer(parse) && configured is null) return null;
        if (parse.GetValue(Pretrained) is not null && parse.GetValue(Weights) is not null)
            throw new ArgumentException("Give --pretrained or --weights, not both.");
        var start = configured ?? new TransferRecipe();
        var recipe = start with
        {
            // Weights named on the command line replace the configured ones, whichever kind they were.
            Pretrained = IsTransfer(parse) ? parse.GetValue(Pretrained) : start.Pretrained,
            WeightsFile = IsTransfer(parse) ? parse.GetValue(Weights) : start.WeightsFile,
            InputHeight = imageSize?.Height ?? start.InputHeight, InputWidth = imageSize?.Width ?? start.InputWidth,
            HeadUnits = parse.ValueOr(HeadUnits, start.HeadUnits), HeadDropout = parse.ValueOr(HeadDropout, start.HeadDropout),
            Stages = start.Stages with
            {
                FreezeEpochs = parse.ValueOr(FreezeEpochs, start.Stages.FreezeEpochs), FineTuneEpochs = parse.ValueOr(FineTuneEpochs, start.Stages.FineTuneEpochs),
                FineTuneLearningRate = parse.ValueOr(FineTuneLr, start.Stages.FineTuneLearningRate), FineTuneAt = parse.ValueOr(FineTuneAt, start.Stages.FineTuneAt),
                DiscriminativeFactor = parse.ValueOr(DiscriminativeLr, start.Stages.DiscriminativeFactor), TrainBatchNorm = parse.ValueOr(FineTuneBatchNorm, start.Stages.TrainBatchNorm),
                CacheFeatures = parse.Gave(NoFeatureCache) ? !parse.GetValue(NoFeatureCache) : start.Stages.CacheFeatures,
            },
        };
        var stages = recipe.Stages;
        string? problem = recipe switch
        {
            { Stages.FreezeEpochs: < 1 } => $"--freeze-epochs must be at least 1, not {stages.FreezeEpochs}.",
            { Stages.FineTuneEpochs: < 0 } => $"--fine-tune-epochs must not be negative ({stages.FineTuneEpochs}).",
            { Stages.FineTuneLearningRate: <= 0 or double.NaN } => $"--fine-tune-lr must be positive, not {stages.FineTuneLearningRate}.",
            { Stages.DiscriminativeFactor: <= 0 or > 1 } => $"--discriminative-lr must be in (0, 1], not {stages.DiscriminativeFactor}.",
            { HeadUnits: < 1 } => $"--head-units must be at least 1, not {recipe.HeadUnits}.",
            { HeadDropout: < 0 or >= 1 } => $"--head-dropout must be in [0, 1), not {recipe.HeadDropout}.",
            _ => null,
        };
        return problem is null ? recipe : throw new ArgumentException(problem);
    }
}
