using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// A planned item (card or photo) with at least one output to render, and why each output renders. Its last record is
/// not kept here but read when the item is worked on (<see cref="LastRecord"/>): a build that renders every item again
/// (a variant or a template changed) held every record as objects until the end of its render, about 6 KB an item.
/// </summary>
internal sealed record OutputWork(PlannedItem Planned, IReadOnlyDictionary<PlannedVariant, RenderReason> Needed)
{
    /// <summary>
    /// The item's record as the last build left it. The manifest holds it until this build sets the item's new one, which
    /// only the item's own worker, fetch or copier does: read it once, when starting on the item.
    /// </summary>
    internal ItemRecord? LastRecord(ManifestSession manifest) => manifest.Records.TryGetValue(Planned.RecordKey, out var record) ? record : null;

    /// <summary>What the last build recorded at <paramref name="path"/> (a variant's, or a photo's copied original) in <paramref name="last"/>, if anything.</summary>
    internal static VariantRecord? Previous(ItemRecord? last, string path) => last?.Variants.FirstOrDefault(v => v.Path == path);
}
