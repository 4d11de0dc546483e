using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Writes the outputs whose pixels equal an output rendered in this build, as copies of its file, and records
/// them: a copy's key is its own card's pre-key with the input set its pixels came from (the owner's fonts and
/// images; its own template files when only the markup was equal).
/// </summary>
internal sealed class DuplicateCopier(WorkerContext context, DuplicateTable duplicates, ManifestCheckpoint checkpoint)
{
    private readonly ManifestSession _manifest = context.Manifest;
    private readonly BuildLog _log = context.Log;

    /// <summary>
    /// Copies on <paramref name="parallelism"/> threads: each card's copies are one unit (they touch only its record).
    /// The manifest is saved now and then as when rendering: a catalogue of mostly equal cards spends most of its build
    /// here, and a build killed in it keeps what it copied (and the pending-outputs journal stays short).
    /// </summary>
    internal void CopyAll(int parallelism)
    {
        // A card equal in everything to another (its copies name no owner path) takes that card's outputs from its
        // record, and that card's outputs may be copies of a third card's markup, recorded only when they are made here:
        // those are made first, so the record is whole when it is read.
        CopyEach(duplicates.TakeMarkupCopies());
        CopyEach(duplicates.TakeEqualCardCopies(_manifest));

        void CopyEach(IEnumerable<CardCopies> cards) =>
            Parallel.ForEach(cards, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, card =>
            {
                Copy(card);
                checkpoint.MaybeSave();
            });
    }

    /// <summary>
    /// Copies one card's outputs now, on the calling worker: every owner is settled (<see cref="OutputWork.Settled"/>),
    /// so its record holds what it rendered, or it failed and the copies fail naming it, as at the end.
    /// </summary>
    internal void CopyNow(CardCopies group)
    {
        System.Diagnostics.Debug.Assert(group.Copies.All(c => c.Owner.Settled), "copied at once only from settled owners");
        Copy(group);
        checkpoint.MaybeSave();
    }

    /// <summary>
    /// The error a card that copies a failed one fails with: the owner's, for this card, when it is a mistake in the
    /// template or an asset (located there), which is the same one for every card drawn alike and is shown once with
    /// the items it failed. Null for an error at the owner's own item (a file it could not write, which names the
    /// owner's output) or one not known: the card then says whose copy it is.
    /// </summary>
    private static Diagnostic? CopyOfFailed(PlannedItem card, Diagnostic? ownerError, Data.DataItem ownerItem) =>
        ownerError is null || ownerError.File == ownerItem.SourceFile ? null : ownerError with { Item = card.Name };

    private void Copy(CardCopies group)
    {
        // Made once here (the plan holds it as a row), with its variants: every copy of the group is one of its outputs.
        var card = group.Work.Planned;
        var variants = card.Variants;
        var copied = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
        string? inputs = null;
        // Records are held serialised: read each owner once per card, not once per variant; owners by their work, with
        // their variants (made when read).
        var owners = new Dictionary<OutputWork, (string Key, ItemRecord? Record, IReadOnlyList<PlannedVariant> Variants, Data.DataItem Item, string Name)>(ReferenceEqualityComparer.Instance);
        // The outputs that copy a card that failed, by the error they fail with.
        var failed = new Dictionary<Diagnostic, List<(PlannedVariant, RenderReason?)>>();
        foreach (var copy in group.Copies)
        {
            var variant = variants[copy.VariantIndex];
            if (!owners.TryGetValue(copy.Owner, out var known))
            {
                var ownerCard = copy.Owner.Planned;
                var ownerKey = ownerCard.RecordKey;
                owners[copy.Owner] = known = (ownerKey, _manifest.Records.TryGetValue(ownerKey, out var o) ? o : null, ownerCard.Variants, ownerCard.Item, ownerCard.Name);
            }
            // An owner that failed in this build has the last build's record (if any): its files are pixels of other
            // inputs (an image since deleted, a template since broken), never this card's. Its copies fail with it.
            var owner = copy.Owner.Failure is null ? known.Record : null;
            var ownerPath = copy.OwnerVariantIndex == PendingCopy.SameSignature ? null : known.Variants[copy.OwnerVariantIndex].Path;
            var source = owner?.Variants.FirstOrDefault(v => ownerPath is not null ? v.Path == ownerPath : v.Options == variant.Signature);
            if (owner is null || source is null || !_manifest.TryGetInputSet(owner.Inputs, out var ownerSet))
            {
                var error = CopyOfFailed(card, copy.Owner.Failure, known.Item)
                    ?? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.RenderFailed, $"this card is identical to {known.Name}, which failed", card.Item.SourceFile, card.Item.Line, Item: card.Name);
                if (!failed.TryGetValue(error, out var outputs))
                {
                    failed[error] = outputs = [];
                }
                outputs.Add((variant, copy.Reason));
                continue;
            }
            var set = group.Templates is null ? ownerSet : ownerSet with { Templates = group.Templates };
            var setHash = set.Hash();
            _manifest.AddInputSet(setHash[..16], set);
            inputs = setHash[..16];
            var key = ContentHash.OfParts(ContentHash.OfParts(card.PreKey, setHash), variant.Signature);
            try
            {
                var file = context.Writer.Copy(card.RecordKey, variant.Path, source.File, source.Sha256, copy.Previous);
                var record = source with { Path = variant.Path, File = file, Key = key };
                copied[record.Path] = record;
                // Only the mapping: the bytes are in the cache under their hash when the owner's are. (A copy of an equal
                // pre-key has the owner's very key, whose mapping the owner stored.)
                if (key != source.Key)
                {
                    context.Cache?.StoreCopy(key, source.Sha256, source.Bytes, source.Quality, source.Width, source.Height);
                }
                // The variant's MIME type (one string for all), not the owner record's: that one was read back from JSON, a copy per output.
                _log.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Deduplicated, copy.Reason, record.Width, record.Height, variant.Encode.MimeType, record.Bytes, key));
            }
            catch (IOException ex)
            {
                _log.Fail(group.Work, card, [variant], new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.WriteFailed, ex.Message, card.Item.SourceFile, card.Item.Line, Item: card.Name), copy.Reason);
            }
        }
        // One failure per error, not per output: the item is counted once among those the error failed. The log marks
        // the card failed too: a card equal in everything to it copies its outputs after every markup copy is made, and
        // must fail with it, not take the files its record has from the last build.
        foreach (var (error, outputs) in failed)
        {
            _log.Fail(group.Work, card, outputs, error);
        }
        if (copied.Count == 0 || inputs is null)
        {
            return;
        }
        _manifest.Records.TryGetValue(card.RecordKey, out var current);
        if (group.CardRendered && current is not null)
        {
            // The worker recorded what it rendered; the copies join that record.
            var order = card.Variants.Select(v => v.Path).ToList();
            _manifest.Set(card, current with { Variants = current.Variants.Where(v => !copied.ContainsKey(v.Path)).Concat(copied.Values).OrderBy(v => order.IndexOf(v.Path)).ToList() });
        }
        else
        {
            // Nothing of this card was rendered: its record is the last build's (if any) with the copies in it.
            var needed = group.Copies.ToDictionary(c => variants[c.VariantIndex], c => c.Reason);
            _manifest.Set(card, RecordMaker.Item(card, current, needed, copied, inputs, context.Paths));
        }
    }
}
