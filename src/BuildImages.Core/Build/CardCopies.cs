using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// The outputs of one card whose pixels equal other outputs of this build: copied once those are written. What the
/// copies share is held once: the card's work, its own template files (for a markup copy; null for a card equal in
/// everything, which takes the owner's input set whole) and whether the card's worker set a record of this build (else
/// the copier makes it). A site of cards equal in markup waits with a group per item until the render phase ends: as
/// a value per output holding all of it, that was about 310 bytes a card.
/// </summary>
internal sealed record CardCopies(OutputWork Work, SortedDictionary<string, string>? Templates, bool CardRendered, PendingCopy[] Copies);

/// <summary>
/// One output of a <see cref="CardCopies"/>: its place among the card's variants (a card's variants are made when read,
/// <see cref="PlannedItem.Variants"/>), the owner's work (its card and record key are made when the copy is made: a key
/// per waiting copy was four million strings in a cold build of a million equal cards), the owner's variant it copies
/// (<see cref="SameSignature"/>: the owner's variant of the same signature, for a card equal in everything), why it is
/// made and what the last build recorded there.
/// </summary>
internal readonly record struct PendingCopy(int VariantIndex, OutputWork Owner, int OwnerVariantIndex, RenderReason Reason, VariantRecord? Previous)
{
    /// <summary>An <see cref="OwnerVariantIndex"/> that means the owner's variant of the same signature.</summary>
    internal const int SameSignature = -1;
}
