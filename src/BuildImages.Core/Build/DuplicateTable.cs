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
    /// Markup key (the first 128 bits of its hash) → the first output that claimed it, as its card's work and place: a card's
    /// variants are made when read, and a site of distinct cards claims once per output (a path each was four million
    /// strings at a million items, held until rendering ends).
    /// </summary>
    private readonly ConcurrentDictionary<UInt128, MarkupOwner> _markupOwners = new();

    /// <summary>Each card's copies of other cards' markup as one group (a card adds its copies at once), so making them needs no grouping.</summary>
    private readonly ConcurrentQueue<CardCopies> _markupCopies = new();

    /// <summary>Cards equal in everything to an earlier card: their work and that card, not a value per output.</summary>
    private readonly ConcurrentQueue<EqualCardCopy> _equalCards = new();

    /// <summary>The output that renders the markup <paramref name="claim"/> names: <paramref name="owner"/> if it is the first.</summary>
    internal MarkupOwner ClaimMarkup(UInt128 claim, MarkupOwner owner) => _markupOwners.GetOrAdd(claim, owner);

    /// <summary>
    /// Forgets the claims once every card has claimed (rendering is over): the copies name their owners themselves,
    /// and a site of distinct cards holds a claim per item (about 70 bytes) that the copying never reads.
    /// </summary>
    internal void EndClaims()
    {
        _markupOwners.Clear();
    }

    /// <summary>Adds one card's copies of other cards' markup, all of them: a card adds its copies once.</summary>
    internal void AddCopies(CardCopies copies)
    {
        if (copies.Copies.Length > 0)
        {
            _markupCopies.Enqueue(copies);
        }
    }

    /// <summary>Adds a card whose every needed output is a copy of <paramref name="owner"/>'s output of the same signature.</summary>
    internal void AddEqualCard(OutputWork work, OutputWork owner) => _equalCards.Enqueue(new EqualCardCopy(work, owner));

    /// <summary>
    /// The copies of other cards' markup, by the card they belong to (each card's copies touch only its record), each
    /// taken out of the table as it is handed over: what is copied is garbage, not held to the end of the build.
    /// </summary>
    internal IEnumerable<CardCopies> TakeMarkupCopies()
    {
        while (_markupCopies.TryDequeue(out var card))
        {
            yield return card;
        }
    }

    /// <summary>The equal cards' copies, a card at a time, taken out of the table as <see cref="TakeMarkupCopies"/> does.</summary>
    internal IEnumerable<CardCopies> TakeEqualCardCopies(ManifestSession manifest)
    {
        while (_equalCards.TryDequeue(out var equal))
        {
            var card = equal.Work.Planned;
            var old = equal.Work.LastRecord(manifest);
            yield return new CardCopies(equal.Work, null, CardRendered: false,
                [.. equal.Work.NeededOf(card).Select(n => new PendingCopy(card.VariantIndex(n.Key.Path), equal.Owner, PendingCopy.SameSignature, n.Value, OutputWork.Previous(old, n.Key.Path)))]);
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
}
