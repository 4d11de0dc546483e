using System.Collections;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A set of a <see cref="PathPool"/>'s ids, enumerated in their paths' ordinal order: a bit per id the pool held when
/// the set was made; the ids the pool holds out of path order (those past its sorted run) are taken in the order the pool
/// sorted them once for every such set (<see cref="PathPool.LatePathOrder"/>). A list of every id, sorted, was 16 MB at
/// four million outputs and a sort of them all; in a build that loaded the stat cache, whose names come sorted, almost
/// every id is in order already.
/// </summary>
internal sealed class OrderedPathSet : IReadOnlyCollection<int>
{
    private readonly PathPool _paths;
    private readonly ulong[] _bits;
    private readonly int _ordered;

    /// <param name="paths">The pool the ids are of; ids it adds after this is made cannot be in the set.</param>
    internal OrderedPathSet(PathPool paths)
    {
        _paths = paths;
        Capacity = paths.Count;
        _bits = new ulong[(Capacity + 63) / 64];
        _ordered = paths.Sorted;
    }

    public int Count { get; private set; }

    /// <summary>One more than the largest id the set can hold (the pool's count when the set was made).</summary>
    internal int Capacity { get; }

    /// <summary>Whether the pool held <paramref name="id"/> when the set was made (only those can be added).</summary>
    internal bool CanHold(int id) => id >= 0 && id < Capacity;

    internal bool Contains(int id) => CanHold(id) && (_bits[id >> 6] & (1UL << id)) != 0;

    /// <summary>Adds <paramref name="id"/>; false when the set holds it already. Not thread-safe.</summary>
    internal bool Add(int id)
    {
        if (!CanHold(id))
        {
            throw new ArgumentOutOfRangeException(nameof(id), "an id the pool did not hold when the set was made");
        }
        if (Contains(id))
        {
            return false;
        }
        _bits[id >> 6] |= 1UL << id;
        Count++;
        return true;
    }

    /// <summary>The ids in path order: those in the pool's sorted run in id order, merged with the rest sorted by path.</summary>
    public IEnumerator<int> GetEnumerator() =>
        _paths.MergeWithRun(InRun(), _paths.LatePathOrder(_ordered).Where(Contains), _ordered).GetEnumerator();

    /// <summary>The ids of the pool's sorted run in the set, ascending.</summary>
    private IEnumerable<int> InRun()
    {
        for (var word = 0; word < _bits.Length && word * 64 < _ordered; word++)
        {
            for (var bits = _bits[word]; bits != 0; bits &= bits - 1)
            {
                var id = (word * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                if (id >= _ordered)
                {
                    yield break;
                }
                yield return id;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
