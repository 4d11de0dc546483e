using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>The check step: which planned outputs must render, and why; in parallel over cards.</summary>
internal static class OutputCheck
{
    /// <summary>Each card's outputs checked against its record: the current ones are reported skipped, the rest are work, with why.</summary>
    /// <remarks><paramref name="newStore"/> makes a scratch store for the purpose it is given (the claims' parts, the reasons, the groups).</remarks>
    internal static WorkList Run(BuildPlan plan, ManifestSession manifest, BuildLog log, ChangeDetector detector, Func<string, ScratchBlocks> newStore)
    {
        var items = plan.Items;
        var needed = new ItemReasons(items.Count, newStore("reasons"));
        // The claim of each card with work (its pre-key and variants), grouped below.
        var claims = new CardClaims(items.Count, () => newStore("claims"));
        var (count, outputs, cards) = (0, 0, 0);
        // Each thread stats outputs relative to its own descriptor of the output folder.
        using var folder = new FileStampFolder(detector.OutputDirectory);
        var lists = new VariantReasons.Table();
        Parallel.For(0, items.Count, () => new Tally(), (i, _, tally) =>
        {
            var card = items[i];
            var work = Check(card, manifest, log, detector, folder, lists);
            if (work is not null)
            {
                needed.Set(i, work);
                tally.Items++;
                tally.Outputs += work is VariantReasons some ? some.Count : card.Variants.Count;
                if (card is PlannedCard planned)
                {
                    claims.Add(ContentHash.Claim(planned.PreKey, CardWorker.Signatures(planned)), i);
                    tally.Cards = true;
                }
            }
            return tally;
        }, tally =>
        {
            Interlocked.Add(ref count, tally.Items);
            Interlocked.Add(ref outputs, tally.Outputs);
            Interlocked.Or(ref cards, tally.Cards ? 1 : 0);
        });
        return new WorkList(items, needed, count, outputs, cards != 0, claims.Group(items.Count, newStore("equal-cards")));
    }

    /// <summary>
    /// What of <paramref name="card"/> must render: a <see cref="RenderReason"/> when every output renders for it, the
    /// reasons of the outputs that render (<see cref="VariantReasons"/>, shared through <paramref name="lists"/>), or
    /// null (every output current, each reported skipped).
    /// </summary>
    private static object? Check(PlannedItem card, ManifestSession manifest, BuildLog log, ChangeDetector detector, FileStampFolder folder, VariantReasons.Table lists)
    {
        manifest.Records.TryGetValue(card.RecordKey, out var old);
        var cardReason = detector.CardReason(card, old);
        if (cardReason is not null && card.Variants.Count > 0)
        {
            // Every output renders, for the card's reason: one value for all of them (every item of a cold build).
            return cardReason;
        }
        var variants = card.Variants;
        RenderReason?[]? needed = null;
        var name = card.Name;
        var cursor = folder.ForThisThread();
        for (var v = 0; v < variants.Count; v++)
        {
            var variant = variants[v];
            var previous = OutputWork.Previous(old, variant.Path);
            var reason = cardReason ?? detector.VariantReason(variant, previous, cursor);
            if (reason is not null)
            {
                (needed ??= new RenderReason?[variants.Count])[v] = reason;
                continue;
            }
            // The size as written, from the record: a photo's planned height is not known before it is decoded (it was
            // reported 0, and the up-to-date record, which must agree with the outcomes, was never written again).
            log.Report(new OutputOutcome(variant.Path, name, OutputStatus.Skipped, null, previous!.Width, previous.Height, variant.Encode.MimeType, previous.Bytes, previous.Key));
        }
        return needed is null ? null : lists.Of(needed);
    }

    /// <summary>One thread's part of the check's totals.</summary>
    private sealed class Tally
    {
        internal int Items;
        internal int Outputs;
        internal bool Cards;
    }
}
