using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// What the check found each planned item must render, by plan index: a <see cref="Manifest.RenderReason"/> (every
/// output renders for it), <see cref="VariantReasons"/> (these outputs, each for its reason), or nothing. Held as a
/// number per item into the distinct reasons, which the change detector and <see cref="VariantReasons.Table"/> share
/// among the items they apply to: a reference per item was 8 bytes an item to the render phase's end (32 MB at four
/// million), and the numbers' chunks are filed past 64 of them when a store is given. Set from many threads at once
/// (each item once); read after.
/// </summary>
internal sealed class ItemReasons
{
    private readonly ChunkedArray<int> _byItem = new();
    private readonly List<object> _reasons = [];
    private readonly Dictionary<object, int> _numbers = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    /// <param name="items">The plan's items.</param>
    /// <param name="store">Where the numbers' chunks are filed past 64 of them (null: all held).</param>
    internal ItemReasons(int items, ScratchBlocks? store)
    {
        // Filing first: chunks made before it are all held (then filed as zeros), chunks made after only when set.
        if (store is not null)
        {
            _byItem.KeepChunksIn(store, 64);
        }
        _byItem.EnsureLength(items);
        Length = items;
    }

    /// <summary>How many items there are (plan indexes below this).</summary>
    internal int Length { get; }

    /// <summary>How many chunks of the numbers are held (for tests).</summary>
    internal int ChunksHeld => _byItem.ChunksHeld;

    /// <summary>How many distinct reasons the items name (for tests: one for every item of a cold build).</summary>
    internal int Distinct
    {
        get
        {
            lock (_lock)
            {
                return _reasons.Count;
            }
        }
    }

    /// <summary>Sets what the item at <paramref name="planIndex"/> must render for: a RenderReason or VariantReasons.</summary>
    internal void Set(int planIndex, object reason)
    {
        if (reason is not (Manifest.RenderReason or VariantReasons))
        {
            throw new ArgumentException($"an item's reason is a RenderReason or VariantReasons, not {reason.GetType().Name}", nameof(reason));
        }
        int number;
        lock (_lock)
        {
            if (!_numbers.TryGetValue(reason, out number))
            {
                _reasons.Add(reason);
                number = _numbers[reason] = _reasons.Count;
            }
        }
        // Distinct items' numbers: in memory a plain write to a chunk of its own; filed, the array locks.
        _byItem.Set(planIndex, number);
    }

    /// <summary>What the item at <paramref name="planIndex"/> must render for, or null (nothing).</summary>
    internal object? Of(int planIndex)
    {
        var number = _byItem.Get(planIndex);
        if (number == 0)
        {
            return null;
        }
        lock (_lock)
        {
            return _reasons[number - 1];
        }
    }
}
