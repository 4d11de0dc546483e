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
    /// for every item of the build) → the work of the first card that claimed them (cards equal in everything render once).
    /// </summary>
    private readonly ConcurrentDictionary<UInt128, OutputWork> _preKeyOwners = new();

    /// <summary>
    /// Markup key (the first 128 bits of its hash) → the first output that claimed it, as its card's work and place: a card's
    /// variants are made when read, and a site of distinct cards claims once per output (a path each was four million
    /// strings at a million items, held until rendering ends).
    /// </summary>
    private readonly ConcurrentDictionary<UInt128, MarkupOwner> _markupOwners = new();

    /// <summary>Each card's copies of other cards' markup as one array (a card adds its copies at once), so making them needs no grouping.</summary>
    private readonly ConcurrentQueue<PendingCopy[]> _markupCopies = new();

    /// <summary>Cards equal in everything to an earlier card: their work and that card, not a value per output.</summary>
    private readonly ConcurrentQueue<EqualCardCopy> _equalCards = new();

    /// <summary>The work of the card that renders what <paramref name="claim"/> names: <paramref name="work"/> itself if it is the first.</summary>
    internal OutputWork ClaimPreKey(string claim, OutputWork work) =>
        _preKeyOwners.GetOrAdd(Primitives.ContentHash.ClaimOf(claim), work);

    /// <summary>The output that renders the markup <paramref name="claim"/> names: <paramref name="owner"/> if it is the first.</summary>
    internal MarkupOwner ClaimMarkup(UInt128 claim, MarkupOwner owner) => _markupOwners.GetOrAdd(claim, owner);

    /// <summary>
    /// Forgets the claims once every card has claimed (rendering is over): the copies name their owners themselves,
    /// and a site of distinct cards holds a claim per item (about 70 bytes) that the copying never reads.
    /// </summary>
    internal void EndClaims()
    {
        _preKeyOwners.Clear();
        _markupOwners.Clear();
    }

    /// <summary>Adds one card's copies of other cards' markup, all of them: a card adds its copies once.</summary>
    internal void AddCopies(IEnumerable<PendingCopy> copies)
    {
        PendingCopy[] card = [.. copies];
        if (card.Length > 0)
        {
            _markupCopies.Enqueue(card);
        }
    }

    /// <summary>Adds a card whose every needed output is a copy of <paramref name="owner"/>'s output of the same signature.</summary>
    internal void AddEqualCard(OutputWork work, OutputWork owner) => _equalCards.Enqueue(new EqualCardCopy(work, owner));

    /// <summary>
    /// The copies of other cards' markup, by the card they belong to (each card's copies touch only its record), each
    /// taken out of the table as it is handed over: what is copied is garbage, not held to the end of the build.
    /// </summary>
    internal IEnumerable<PendingCopy[]> TakeMarkupCopies()
    {
        while (_markupCopies.TryDequeue(out var card))
        {
            yield return card;
        }
    }

    /// <summary>The equal cards' copies, a card at a time, taken out of the table as <see cref="TakeMarkupCopies"/> does.</summary>
    internal IEnumerable<PendingCopy[]> TakeEqualCardCopies(ManifestSession manifest)
    {
        while (_equalCards.TryDequeue(out var equal))
        {
            var card = equal.Work.Planned;
            var old = equal.Work.LastRecord(manifest);
            yield return [.. equal.Work.Needed.Select(n => new PendingCopy(equal.Work, card.VariantIndex(n.Key.Path), equal.Owner, null, null, n.Value, OutputWork.Previous(old, n.Key.Path), CardRendered: false))];
        }
    }

    /// <summary>
    /// A card equal in everything to <see cref="Owner"/> (pre-key and variants): 16 bytes in a queue slot until copied,
    /// where values per output were about 280 bytes a card (a site of equal cards has one per item).
    /// </summary>
    private readonly record struct EqualCardCopy(OutputWork Work, OutputWork Owner);
}

/// <summary>The output that renders a markup: its card's work and the place of the variant among the card's.</summary>
internal readonly record struct MarkupOwner(OutputWork Work, int VariantIndex)
{
    /// <summary>Whether this is <paramref name="work"/>'s variant at <paramref name="variantIndex"/> (the card itself, not an equal one).</summary>
    internal bool Is(OutputWork work, int variantIndex) => ReferenceEquals(Work, work) && VariantIndex == variantIndex;

    /// <summary>The output's path (made anew on each read).</summary>
    internal string Path => Work.Planned.Variants[VariantIndex].Path;
}

/// <summary>
/// An output whose pixels equal another output's in this build: copied once that one is written. A pre-key copy
/// (<see cref="MarkupOwner"/> null) takes the owner's variant of the same signature and its input set; a markup copy
/// takes the owner's fonts and images with its own <see cref="Templates"/>. <see cref="CardRendered"/> says whether
/// the card's worker set a record of this build (else the copier makes it). A value in its card's array, not an object
/// of its own; an equal card's are made only when it is copied. The variant is held as its place among the card's: a
/// card's variants are made when read (<see cref="PlannedItem.Variants"/>), and a site of cards equal in markup waits
/// with a copy per output until the render phase ends. The card and the owner are held as their work (the card is
/// made from the plan when the copy is made, and the owner's record key then: a key per waiting copy was four million
/// strings in a cold build of a million equal cards, and a card object per waiting card about 300 MB).
/// </summary>
internal readonly record struct PendingCopy(OutputWork Work, int VariantIndex, OutputWork Owner, MarkupOwner? MarkupOwner, SortedDictionary<string, string>? Templates, RenderReason Reason, VariantRecord? Previous, bool CardRendered)
{
    /// <summary>The card to copy to (made anew on each read when the plan holds it as a row: take it once).</summary>
    internal PlannedItem Card => Work.Planned;
}
