using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>A planned item (card or photo) with at least one output to render, its last record, and why each output renders.</summary>
internal sealed record OutputWork(PlannedItem Planned, ItemRecord? Old, IReadOnlyDictionary<PlannedVariant, RenderReason> Needed)
{
    /// <summary>What the last build recorded for <paramref name="variant"/>'s path, if anything.</summary>
    internal VariantRecord? Previous(PlannedVariant variant) => Old?.Variants.FirstOrDefault(v => v.Path == variant.Path);
}
