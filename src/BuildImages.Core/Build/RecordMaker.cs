using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>The manifest records the workers write: one output's, and an item's after this build.</summary>
internal static class RecordMaker
{
    /// <summary>The manifest record of one written output (a photo's size is known only once it is made).</summary>
    internal static VariantRecord Variant(PlannedVariant variant, string file, string sha, string key, long bytes, int quality, int width, int height) => new()
    {
        Path = variant.Path,
        File = file,
        Key = key,
        Options = variant.Signature,
        Width = width,
        Height = height,
        Mime = variant.Encode.MimeType,
        Bytes = bytes,
        Sha256 = sha,
        Quality = quality,
    };

    /// <summary>The card's record after this build: written variants replace old ones; variants that needed no render stay; the rest (copies still to come) are left out.</summary>
    internal static ItemRecord Item(PlannedItem card, ItemRecord? old, IReadOnlyDictionary<PlannedVariant, RenderReason> needed, Dictionary<string, VariantRecord> written, string inputs, KeyPaths paths) =>
        Item(card, card.LoadFields(), old, needed, written, inputs, paths);

    // The fields decoded once for the field hashes and the alt text.
    private static ItemRecord Item(PlannedItem card, IReadOnlyDictionary<string, object?> fields, ItemRecord? old, IReadOnlyDictionary<PlannedVariant, RenderReason> needed, Dictionary<string, VariantRecord> written, string inputs, KeyPaths paths) => new()
    {
        Job = card.Job.Name,
        Item = card.Item.Id,
        Source = paths.ToKey(card.Item.SourceFile),
        Output = card.Output,
        Alt = card.AltOf(fields),
        Template = card.TemplateKey,
        Size = card.Size.ToString(),
        PreKey = card.PreKey,
        Fields = CanonicalData.FieldHashes(fields),
        Inputs = inputs,
        Variants = card.Variants
            .Select(v => written.GetValueOrDefault(v.Path) ?? (needed.ContainsKey(v) ? null : OutputWork.Previous(old, v.Path)))
            .OfType<VariantRecord>()
            // An old output no variant plans any more stays on the record, so prune deletes it (else it would be left on disk, owned by nothing).
            .Concat(old?.Variants.Where(o => !card.Variants.Any(v => v.Path == o.Path)) ?? [])
            .ToList(),
    };
}
