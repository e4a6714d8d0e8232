using System.Globalization;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Augmentations written as text, as the CLI's --augment takes them: comma-separated steps applied in
/// order, e.g. "flip,rotate=0.1,zoom=0.1,contrast=0.1".
/// </summary>
public static class AugmentationSpec
{
    /// <summary>Each step's syntax, for help and error messages.</summary>
    public static readonly IReadOnlyList<(string Name, string Syntax)> Steps =
    [
        ("flip", "flip[=horizontal|vertical|both]"),
        ("rotate", "rotate=F[:FILL] (F: fraction of a full turn, 0 < F <= 0.5)"),
        ("zoom", "zoom=F[:FILL] (0 < F < 1)"),
        ("translate", "translate=F[:FILL] (fraction of the size, 0 < F <= 0.5)"),
        ("contrast", "contrast=F (0 < F <= 1)"),
        ("brightness", "brightness=F (0 < F <= 1)"),
        ("crop", "crop=PIXELS[:reflect] (pad, then crop back to size)"),
        ("erase", "erase[=P] (probability, default 0.5)"),
        ("mixup", "mixup[=ALPHA] (default 0.2)"),
        ("cutmix", "cutmix[=ALPHA] (default 1)"),
    ];

    public const string FillModes = "reflect, wrap, constant or nearest";

    public static string Help => "Steps, applied in order: " + string.Join("; ", Steps.Select(s => s.Syntax)) + $". FILL: {FillModes}.";

    /// <summary>The pipeline a spec describes; throws ArgumentException naming the bad step and saying what fits.</summary>
    public static AugmentationPipeline Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("The augmentation spec is empty; " + Help);
        var steps = new List<IBatchAugmentation>();
        foreach (string raw in spec.Split(','))
        {
            string item = raw.Trim();
            if (item.Length == 0) throw new ArgumentException($"Augmentation spec '{spec}' has an empty step (two commas in a row?).");
            int equals = item.IndexOf('=');
            string name = (equals < 0 ? item : item[..equals]).Trim().ToLowerInvariant();
            string? value = equals < 0 ? null : item[(equals + 1)..].Trim();
            steps.Add(Step(name, value, item));
        }
        return new AugmentationPipeline(steps);
    }

    static IBatchAugmentation Step(string name, string? value, string item)
    {
        switch (name)
        {
            case "flip":
                return value?.ToLowerInvariant() switch
                {
                    null or "horizontal" => new RandomFlip(FlipMode.Horizontal),
                    "vertical" => new RandomFlip(FlipMode.Vertical),
                    "both" or "horizontal_and_vertical" => new RandomFlip(FlipMode.HorizontalAndVertical),
                    _ => throw Bad(item, "flip takes horizontal, vertical or both"),
                };
            case "hflip": return NoValue(item, value, new RandomFlip(FlipMode.Horizontal));
            case "vflip": return NoValue(item, value, new RandomFlip(FlipMode.Vertical));
            case "rotate" or "rotation":
            {
                var (factor, fill) = FactorAndFill(item, value, "rotate=0.1", max: 0.5, maxInclusive: true);
                return new RandomRotation(factor, fill);
            }
            case "zoom":
            {
                var (factor, fill) = FactorAndFill(item, value, "zoom=0.1", max: 1, maxInclusive: false);
                return new RandomZoom(factor, fill);
            }
            case "translate" or "translation":
            {
                var (factor, fill) = FactorAndFill(item, value, "translate=0.1", max: 0.5, maxInclusive: true);
                return new RandomTranslation(factor, fill);
            }
            case "contrast": return new RandomContrast(Number(item, value, "contrast=0.1", 0, 1, true));
            case "brightness": return new RandomBrightness(Number(item, value, "brightness=0.1", 0, 1, true));
            case "crop":
            {
                var (pixels, option) = SplitOption(value);
                if (pixels is null || !int.TryParse(pixels, NumberStyles.None, CultureInfo.InvariantCulture, out int padding) || padding is < 1 or > 1024)
                    throw Bad(item, "crop needs a padding of 1 to 1024 whole pixels, as in crop=4");
                if (option is not (null or "reflect" or "constant"))
                    throw Bad(item, "crop pads with zeros (crop=4) or a reflection (crop=4:reflect)");
                return new RandomCrop(padding, option == "reflect");
            }
            case "erase" or "erasing":
                return new RandomErasing(value is null ? 0.5 : Number(item, value, "erase=0.5", 0, 1, true));
            case "mixup": return new MixUp(value is null ? 0.2 : Number(item, value, "mixup=0.2", 0, double.MaxValue, true));
            case "cutmix": return new CutMix(value is null ? 1.0 : Number(item, value, "cutmix=1", 0, double.MaxValue, true));
            default:
                throw new ArgumentException($"Unknown augmentation '{name}' in '{item}': the known ones are {string.Join(", ", Steps.Select(s => s.Name))}.");
        }
    }

    static (double Factor, FillMode Fill) FactorAndFill(string item, string? value, string example, double max, bool maxInclusive)
    {
        var (number, option) = SplitOption(value);
        double factor = Number(item, number, example, 0, max, maxInclusive);
        FillMode fill = option switch
        {
            null or "reflect" => FillMode.Reflect,
            "wrap" => FillMode.Wrap,
            "constant" => FillMode.Constant,
            "nearest" => FillMode.Nearest,
            _ => throw Bad(item, $"the fill mode must be {FillModes}, not '{option}'"),
        };
        return (factor, fill);
    }

    static (string? Value, string? Option) SplitOption(string? value)
    {
        if (value is null) return (null, null);
        int colon = value.IndexOf(':');
        return colon < 0 ? (value, null) : (value[..colon].Trim(), value[(colon + 1)..].Trim().ToLowerInvariant());
    }

    // A number in (min, max] (or (min, max)).
    static double Number(string item, string? value, string example, double min, double max, bool maxInclusive)
    {
        string name = example[..example.IndexOf('=')];
        if (value is null) throw Bad(item, $"{name} needs a value, as in {example}");
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            throw Bad(item, $"'{value}' is not a number; write it as in {example}");
        bool fits = number > min && (maxInclusive ? number <= max : number < max);
        if (!fits)
            throw Bad(item, max == double.MaxValue
                ? $"{name} must be greater than {min}"
                : $"{name} must be greater than {min} and {(maxInclusive ? "at most" : "less than")} {max}, not {value}");
        return number;
    }

    static IBatchAugmentation NoValue(string item, string? value, IBatchAugmentation step) =>
        value is null ? step : throw Bad(item, $"{item[..item.IndexOf('=')]} takes no value");

    static ArgumentException Bad(string item, string why) => new($"Bad augmentation step '{item}': {why}.");
}
