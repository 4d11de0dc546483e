using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>The check step: which planned outputs must render, and why; in parallel over cards.</summary>
internal static class OutputCheck
{
    /// <summary>Each card's outputs checked against its record: the current ones are reported skipped, the rest are work, with why.</summary>
    internal static List<OutputWork> Run(BuildPlan plan, ManifestSession manifest, BuildLog log, ChangeDetector detector)
    {
        var items = plan.Items;
        var work = new OutputWork?[items.Count];
        // Each thread stats outputs relative to its own descriptor of the output folder.
        using var outputs = new FileStampFolder(detector.OutputDirectory);
        Parallel.For(0, items.Count, i =>
        {
            var card = items[i];
            manifest.Records.TryGetValue(card.RecordKey, out var old);
            var cardReason = detector.CardReason(card, old);
            if (cardReason is not null && card.Variants.Count > 0)
            {
                // Every output renders, for the card's reason: one value for all of them (every item of a cold build).
                work[i] = new OutputWork(items, i, cardReason);
                return;
            }
            var needed = new List<KeyValuePair<PlannedVariant, RenderReason>>(card.Variants.Count);
            var name = card.Name;
            var cursor = outputs.ForThisThread();
            foreach (var variant in card.Variants)
            {
                var previous = OutputWork.Previous(old, variant.Path);
                var reason = cardReason ?? detector.VariantReason(variant, previous, cursor);
                if (reason is not null)
                {
                    needed.Add(new(variant, reason));
                    continue;
                }
                log.Report(new OutputOutcome(variant.Path, name, OutputStatus.Skipped, null, variant.Width, variant.Height, variant.Encode.MimeType, previous!.Bytes, previous.Key));
            }
            if (needed.Count > 0)
            {
                work[i] = new OutputWork(items, i, new Primitives.SmallMap<PlannedVariant, RenderReason>([.. needed]));
            }
        });
        return work.OfType<OutputWork>().ToList();
    }
}
