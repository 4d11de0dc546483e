using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// Which of an item's outputs render and why, by variant index (null where the output is current), for an item of
/// which only some outputs render. Items whose outputs render for the same reasons share one (<see cref="Table"/>):
/// a change to one variant of every card (its quality, its width) gave each item a map of its own, holding the
/// variant it had read, until the render phase ended.
/// </summary>
internal sealed class VariantReasons
{
    private readonly RenderReason?[] _byVariant;

    private VariantReasons(RenderReason?[] byVariant)
    {
        _byVariant = byVariant;
        Count = byVariant.Count(r => r is not null);
    }

    /// <summary>How many outputs render.</summary>
    internal int Count { get; }

    /// <summary>The outputs of <paramref name="item"/> (the item these reasons were found for, read again) that render, with why.</summary>
    internal IReadOnlyDictionary<PlannedVariant, RenderReason> Of(PlannedItem item)
    {
        var variants = item.Variants;
        var needed = new KeyValuePair<PlannedVariant, RenderReason>[Count];
        for (int v = 0, k = 0; v < _byVariant.Length; v++)
        {
            if (_byVariant[v] is { } reason)
            {
                needed[k++] = new(variants[v], reason);
            }
        }
        return new Primitives.SmallMap<PlannedVariant, RenderReason>(needed);
    }

    /// <summary>
    /// The reasons the check found, each distinct list made once (reasons compared as objects: the change detector
    /// shares a reason among the cards it applies to). Past <see cref="MostShared"/> lists, a list is the item's own.
    /// Thread-safe.
    /// </summary>
    internal sealed class Table
    {
        private const int MostShared = 4096;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<VariantReasons, VariantReasons> _lists = new(new SameReasons());

        /// <summary>The reasons of <paramref name="byVariant"/> (at least one not null), shared with every equal list.</summary>
        internal VariantReasons Of(RenderReason?[] byVariant)
        {
            var made = new VariantReasons(byVariant);
            if (_lists.TryGetValue(made, out var known))
            {
                return known;
            }
            return _lists.Count < MostShared ? _lists.GetOrAdd(made, made) : made;
        }
    }

    /// <summary>Lists equal when each index holds the same reason object (or null in both).</summary>
    private sealed class SameReasons : IEqualityComparer<VariantReasons>
    {
        public bool Equals(VariantReasons? x, VariantReasons? y)
        {
            if (x is null || y is null || x._byVariant.Length != y._byVariant.Length)
            {
                return ReferenceEquals(x, y);
            }
            for (var v = 0; v < x._byVariant.Length; v++)
            {
                if (!ReferenceEquals(x._byVariant[v], y._byVariant[v]))
                {
                    return false;
                }
            }
            return true;
        }

        public int GetHashCode(VariantReasons obj)
        {
            var hash = new HashCode();
            foreach (var reason in obj._byVariant)
            {
                hash.Add(reason is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(reason));
            }
            return hash.ToHashCode();
        }
    }
}
