using System.Collections.Concurrent;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// Which output renders each set of equal pixels in one build, and the outputs that are copies of another: shared by
/// the card workers (who claim) and the duplicate copier (who copies once the owners are written), nobody else.
/// </summary>
internal sealed class DuplicateTable
{
    /// <summary>
    /// Pre-key and variant signatures (the first 128 bits of their hash, as the markup claims: not a 64-digit string
    /// for every item of the build) → the first card that claimed them (cards equal in everything render once).
    /// </summary>
    private readonly ConcurrentDictionary<UInt128, string> _preKeyOwners = new();

    /// <summary>Markup key (the first 128 bits of its hash) → the first output that claimed it.</summary>
    private readonly ConcurrentDictionary<UInt128, (string RecordKey, string Path)> _markupOwners = new();

    /// <summary>Each card's copies as one array (a card adds its copies at once), so making them needs no grouping.</summary>
    private readonly ConcurrentQueue<PendingCopy[]> _copies = new();

    /// <summary>The record key of the card that renders what <paramref name="claim"/> names: <paramref name="recordKey"/> if it is the first.</summary>
    internal string ClaimPreKey(string claim, string recordKey) =>
        _preKeyOwners.GetOrAdd(Primitives.ContentHash.ClaimOf(claim), recordKey);

    /// <summary>The output that renders the markup <paramref name="claim"/> names: <paramref name="owner"/> if it is the first.</summary>
    internal (string RecordKey, string Path) ClaimMarkup(UInt128 claim, (string RecordKey, string Path) owner) => _markupOwners.GetOrAdd(claim, owner);

    /// <summary>Adds one card's copies, all of them: a card adds its copies once.</summary>
    internal void AddCopies(IEnumerable<PendingCopy> copies)
    {
        PendingCopy[] card = [.. copies];
        if (card.Length > 0)
        {
            _copies.Enqueue(card);
        }
    }

    /// <summary>The copies to make, by the card they belong to (each card's copies touch only its record).</summary>
    internal IEnumerable<PendingCopy[]> CopiesByCard() => _copies;
}

/// <summary>
/// An output whose pixels equal another output's in this build: copied once that one is written. A pre-key copy
/// (<see cref="OwnerPath"/> null) takes the owner's variant of the same signature and its input set; a markup copy
/// takes the owner's fonts and images with its own <see cref="Templates"/>. <see cref="CardRendered"/> says whether
/// the card's worker set a record of this build (else the copier makes it). A value in its card's array, not an object
/// of its own: a site of many equal cards holds one per output until the copies are made.
/// </summary>
internal readonly record struct PendingCopy(PlannedCard Card, PlannedVariant Variant, string OwnerRecordKey, string? OwnerPath, SortedDictionary<string, string>? Templates, RenderReason Reason, VariantRecord? Previous, bool CardRendered);
