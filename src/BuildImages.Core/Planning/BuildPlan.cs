using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Planning;

/// <summary>Every card the configuration asks for, with its outputs and pre-key; and the items that cannot be planned.</summary>
public sealed record BuildPlan(IReadOnlyList<PlannedCard> Cards, IReadOnlyList<Diagnostic> Problems, IReadOnlyList<string> Jobs)
{
    public int OutputCount => Cards.Sum(c => c.Variants.Count);

    /// <summary>Data files (manifest keys) that could not be read this build: their items are unknown, so their outputs are kept.</summary>
    public IReadOnlyList<string> HeldSources { get; init; } = [];

    /// <summary>Jobs refused as a whole this build (their output folder leads outside outputDir): their outputs are kept.</summary>
    public IReadOnlyList<string> HeldJobs { get; init; } = [];

    /// <summary>The plan without the cards <paramref name="refuse"/> has a problem with, each problem added (the card fails, its old outputs are kept).</summary>
    internal BuildPlan Without(Func<PlannedCard, Diagnostic?> refuse)
    {
        var problems = new List<Diagnostic>();
        var kept = new List<PlannedCard>(Cards.Count);
        foreach (var card in Cards)
        {
            if (refuse(card) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                kept.Add(card);
            }
        }
        return problems.Count == 0 ? this : this with { Cards = kept, Problems = [.. Problems, .. problems] };
    }
}

/// <summary>One item of one job: the card to draw and the files it becomes.</summary>
public sealed record PlannedCard(
    JobConfig Job,
    TemplateDefinition? Template,
    string TemplateKey,
    DataItem Item,
    CardSize Size,
    string Output,
    string? Alt,
    string PreKey,
    IReadOnlyList<PlannedVariant> Variants)
{
    /// <summary>A short hash per data field, for explaining a change; made each time it is asked for (a batch keeps the plan to its end, and this is only needed when a card is rendered or explained).</summary>
    public IReadOnlyDictionary<string, string> FieldHashes() => CanonicalData.FieldHashes(Item.Fields);

    /// <summary>How the item is named in messages: job/item.</summary>
    public string Name => $"{Job.Name}/{Item.Id}";

    /// <summary>The manifest identity of the card.</summary>
    public string RecordKey => $"{Job.Name}:{Output}";

    /// <summary>For a photos job: the source file (its manifest key and full path) and focal point; null for a card.</summary>
    public PlannedPhoto? Photo { get; init; }
}

/// <summary>The file a photo job's item right-sizes.</summary>
/// <param name="SourceKey">The source's manifest key.</param>
/// <param name="SourceFile">The source's full path.</param>
/// <param name="Focus">A focal point from the job's focus map, for <c>crop: focal</c>.</param>
/// <param name="OriginalPath">Where the source is copied unchanged if it cannot be read (onError: copy-original), else null.</param>
public sealed record PlannedPhoto(string SourceKey, string SourceFile, (double X, double Y)? Focus, string? OriginalPath = null);

/// <summary>One encoded file of a card: its path (relative to the output folder, '/' separated), pixel size and encoding.</summary>
public sealed record PlannedVariant(string Path, int Width, int Height, EncodeOptions Encode, long? MaxBytes, int MinQuality)
{
    /// <summary>Photos only: how the variant is sized from the source (its <see cref="Width"/> and <see cref="Height"/> are known only once the source is read).</summary>
    public Imaging.PhotoShape? Shape { get; init; }

    /// <summary>Everything about the variant that decides its bytes, as one readable string.</summary>
    public string Signature
    {
        get
        {
            var size = Shape is { } shape ? shape.Describe() : $"{Width}x{Height}";
            return MaxBytes is { } max
                ? $"{Encode.Format.ToString().ToLowerInvariant()} {size} {EncoderSettings.Describe(Encode)} max {max} B min q{MinQuality}"
                : $"{Encode.Format.ToString().ToLowerInvariant()} {size} {EncoderSettings.Describe(Encode)}";
        }
    }
}
