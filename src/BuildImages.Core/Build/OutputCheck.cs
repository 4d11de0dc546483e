using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>The check step: which planned outputs must render, and why; in parallel over cards.</summary>
internal static class OutputCheck
{
    /// <summary>Each card's outputs checked against its record: the current ones are reported skipped, the rest are work, with why.</summary>
    internal static WorkList Run(BuildPlan plan, ManifestSession manifest, BuildLog log, ChangeDetector detector)
    {
        var items = plan.Items;
        var needed = new object?[items.Count];
        // The claim of each card with work (its pre-key and variants; zero for the rest), grouped below.
        var claims = new UInt128[items.Count];
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
                needed[i] = work;
                tally.Items++;
                tally.Outputs += work is VariantReasons some ? some.Count : card.Variants.Count;
                if (card is PlannedCard planned)
                {
                    claims[i] = ContentHash.Claim(planned.PreKey, CardWorker.Signatures(planned));
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
        return new WorkList(items, needed, count, outputs, cards != 0, EqualCards(claims));
    }

    /// <summary>
    /// Cards equal in everything (pre-key and variants: equal pixels), found by sorting their claims: by plan index, 0 for
    /// a card with no equal, -1 for the first of a group (which renders), the first's index + 1 for the others (copies
    /// of it). Null when no two cards are equal. Found here, not claimed in a table as cards are rendered: a site of
    /// distinct cards held a claim and the work of every item in it until rendering ended (about 110 bytes an item).
    /// A card whose claim is zero (one in 2^128) is taken for one without work and is rendered, not copied.
    /// </summary>
    internal static int[]? EqualCards(UInt128[] claims)
    {
        var count = 0;
        foreach (var claim in claims)
        {
            count += claim == UInt128.Zero ? 0 : 1;
        }
        var keys = new UInt128[count];
        var indexes = new int[count];
        for (int i = 0, k = 0; i < claims.Length; i++)
        {
            if (claims[i] != UInt128.Zero)
            {
                (keys[k], indexes[k]) = (claims[i], i);
                k++;
            }
        }
        Array.Sort(keys, indexes);
        int[]? equal = null;
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && keys[end] == keys[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                // The sort is not stable: the group's first card in plan order renders, as a worker reaches it first.
                var first = int.MaxValue;
                for (var j = start; j < end; j++)
                {
                    first = Math.Min(first, indexes[j]);
                }
                equal ??= new int[claims.Length];
                for (var j = start; j < end; j++)
                {
                    equal[indexes[j]] = indexes[j] == first ? -1 : first + 1;
                }
            }
            start = end;
        }
        return equal;
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
