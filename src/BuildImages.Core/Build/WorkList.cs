using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// The check's result: which planned items have outputs to render, and why. Held as a number per planned item into the
/// distinct reasons (<see cref="ItemReasons"/>: the reason shared by every output, the map of outputs to reasons, or
/// nothing); the <see cref="OutputWork"/> on an item is made when a worker takes it. A list of work objects was 56 bytes an item all through the render phase (the
/// object, its slot, and the slot of the array it was gathered in): 64 MB of a million-item cold build's peak.
/// </summary>
internal sealed class WorkList
{
    private readonly IReadOnlyList<PlannedItem> _items;

    // By plan index: a RenderReason (every output renders for it), VariantReasons (these outputs, each for its reason,
    // shared by the items with the same), or null (nothing to render).
    private readonly ItemReasons _needed;

    // By plan index, cards equal in everything (see CardClaims.Group): 0 none, -1 the first of a group, else the
    // first's index + 1. Null when no two cards are equal.
    private readonly Primitives.ChunkedArray<int>? _equal;

    // The work of each first card of a group, made by whoever asks first: its own worker, or a worker taking one of its
    // equals (which may be taken a moment before it).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, OutputWork> _firsts = new();

    /// <summary>The work of the items of <paramref name="items"/> (the plan's, never changed) as the check left it in <paramref name="needed"/> and <paramref name="equal"/>.</summary>
    internal WorkList(IReadOnlyList<PlannedItem> items, ItemReasons needed, int count, int neededOutputs, bool drawsCards, Primitives.ChunkedArray<int>? equal)
    {
        _items = items;
        _needed = needed;
        _equal = equal;
        Count = count;
        NeededOutputs = neededOutputs;
        DrawsCards = drawsCards;
    }

    /// <summary>How many items have outputs to render.</summary>
    internal int Count { get; }

    /// <summary>How many outputs render, over every item.</summary>
    internal int NeededOutputs { get; }

    /// <summary>Whether any item with work is a card (a build of photos only makes no card engine).</summary>
    internal bool DrawsCards { get; }

    /// <summary>The number of plan indexes: <see cref="Take"/> takes any index below it.</summary>
    internal int PlanLength => _needed.Length;

    /// <summary>
    /// The work on the planned item at <paramref name="planIndex"/>, or null when it has nothing to render. Made anew on
    /// each call (the first card of a group of equal cards only once): whoever works on the item takes it once, and
    /// everything that must know "the same item" (duplicate owners, waiting copies) holds that one object.
    /// </summary>
    internal OutputWork? Take(int planIndex)
    {
        var equal = _equal?.Get(planIndex) ?? 0;
        return equal switch
        {
            0 => Make(planIndex, null),
            < 0 => First(planIndex),
            _ => Make(planIndex, First(equal - 1)),
        };
    }

    /// <summary>The work of the first card of a group (it has work: only cards with work are grouped), made once.</summary>
    private OutputWork First(int planIndex) => _firsts.GetOrAdd(planIndex, static (i, list) => list.Make(i, null)!, this);

    private OutputWork? Make(int planIndex, OutputWork? equalTo) => _needed.Of(planIndex) switch
    {
        RenderReason every => new OutputWork(_items, planIndex, every) { EqualTo = equalTo },
        VariantReasons some => new OutputWork(_items, planIndex, some) { EqualTo = equalTo },
        _ => null,
    };

    /// <summary>Every item's work in plan order, each made once (a dry run's listing).</summary>
    internal IEnumerable<OutputWork> TakeAll()
    {
        for (var i = 0; i < _needed.Length; i++)
        {
            if (Take(i) is { } work)
            {
                yield return work;
            }
        }
    }
}
