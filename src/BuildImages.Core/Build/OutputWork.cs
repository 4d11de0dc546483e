using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// A planned item (card or photo) with at least one output to render, and why each output renders. Its last record is
/// not kept here but read when the item is worked on (<see cref="LastRecord"/>): a build that renders every item again
/// (a variant or a template changed) held every record as objects until the end of its render, about 6 KB an item.
/// </summary>
/// <remarks>
/// The item is held as its place in the plan, made when read (<see cref="Planned"/>): the plan keeps its cards as rows,
/// and a cold build's duplicate claims and waiting copies can name every item until the render phase ends, where a card
/// object each was about 300 bytes an item. What must know "the same item" compares the work, not the card: the one
/// object <see cref="WorkList.Take"/> made when the item's worker took it.
/// </remarks>
internal sealed class OutputWork
{
    private readonly IReadOnlyList<PlannedItem> _items;
    private readonly int _index;

    // The outputs to render with why, or (null) every output of the item for one reason; either way the map is made when
    // read: in a cold build that is every item, and a map, a variants view and the output stem it holds were about 110
    // bytes each.
    private readonly VariantReasons? _needed;
    private readonly RenderReason? _everyOutput;

    /// <summary>Work on the item at <paramref name="index"/> of <paramref name="items"/> (the plan's, never changed), made when read; <paramref name="needed"/> its outputs to render.</summary>
    internal OutputWork(IReadOnlyList<PlannedItem> items, int index, VariantReasons needed)
    {
        _items = items;
        _index = index;
        _needed = needed;
    }

    /// <summary>Work on every output of the item at <paramref name="index"/> of <paramref name="items"/>, for <paramref name="everyOutput"/>.</summary>
    internal OutputWork(IReadOnlyList<PlannedItem> items, int index, RenderReason everyOutput)
    {
        _items = items;
        _index = index;
        _everyOutput = everyOutput;
    }

    private volatile bool _settled;

    /// <summary>
    /// The first card in plan order that this card is equal to in everything (pre-key and variants), whose outputs it
    /// copies without evaluating anything; null when it has no such equal before it (see <see cref="WorkList"/>).
    /// </summary>
    internal OutputWork? EqualTo { get; init; }

    /// <summary>
    /// Whether the item's worker is done with it: what it rendered is recorded, or it failed. A copy of its outputs can
    /// be made now (a card whose outputs all copy settled owners is copied by its own worker, not queued to the end of
    /// rendering: a catalogue of equal cards queued one for nearly every item).
    /// </summary>
    internal bool Settled => _settled;

    /// <summary>Marks the item done with (after its record is set, or its failure logged).</summary>
    internal void Settle() => _settled = true;

    /// <summary>
    /// The error the item's worker failed it with; null when it did not fail. A card that copies its outputs fails with
    /// it (the same mistake, shown once with the items it failed), not with an error of its own per output. Set by
    /// <see cref="BuildLog.Fail(OutputWork, Planning.PlannedItem, IEnumerable{ValueTuple{Planning.PlannedVariant, RenderReason?}}, Diagnostics.Diagnostic)"/>:
    /// by a worker before <see cref="Settle"/>, whose write publishes it; or by the copier when the item's own copies
    /// failed, which only the copies of cards equal to it read, after every markup copy is made.
    /// </summary>
    internal Diagnostics.Diagnostic? Failure { get; private set; }

    /// <summary>Notes the error the item failed with (the first, when its copies fail with more).</summary>
    internal void Failed(Diagnostics.Diagnostic error) => Failure ??= error;

    /// <summary>The item's place in the plan.</summary>
    internal int PlanIndex => _index;

    /// <summary>The item (made anew on each read when the plan holds it as a row: take it once).</summary>
    internal PlannedItem Planned => _items[_index];

    /// <summary>
    /// Each output of <paramref name="item"/> (this work's item, as the caller read it) to render, with why: when every
    /// output renders for one reason the map is made from the item's variants here, so the caller's item is not made again.
    /// </summary>
    internal IReadOnlyDictionary<PlannedVariant, RenderReason> NeededOf(PlannedItem item) =>
        _needed?.Of(item) ?? new Primitives.UniformMap<PlannedVariant, RenderReason>(item.Variants, _everyOutput!);

    /// <summary>
    /// The item's record as the last build left it. The manifest holds it until this build sets the item's new one, which
    /// only the item's own worker, fetch or copier does: read it once, when starting on the item.
    /// </summary>
    internal ItemRecord? LastRecord(ManifestSession manifest) => manifest.Records.TryGetValue(Planned.RecordKey, out var record) ? record : null;

    /// <summary>What the last build recorded at <paramref name="path"/> (a variant's, or a photo's copied original) in <paramref name="last"/>, if anything.</summary>
    internal static VariantRecord? Previous(ItemRecord? last, string path) => last?.Variants.FirstOrDefault(v => v.Path == path);
}
