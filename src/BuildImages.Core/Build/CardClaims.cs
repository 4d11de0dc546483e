using System.Buffers.Binary;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// The claims of the cards the check found work for (a card's pre-key and variants: equal claims, equal pixels), kept
/// as they come and grouped after, to find cards equal in everything (<see cref="Group"/>). Kept in scratch stores, one
/// per part of the claims' range, and grouped a part at a time: an array of every item's claim, and the sort's copy of
/// the claims with their indexes, were 36 bytes an item at once (144 MB at four million items, the check's peak).
/// Thread-safe to add to.
/// </summary>
internal sealed class CardClaims
{
    /// <summary>The claims a part holds about (the parts' count is fixed by the items' before the check).</summary>
    internal const int DefaultPartClaims = 1 << 20;

    // A claim (16 bytes) and the card's plan index (4).
    private const int RecordBytes = 20;

    private readonly ScratchBlocks[] _parts;
    private readonly int[] _counts;

    /// <param name="items">The plan's items (at most that many claims).</param>
    /// <param name="newStore">Makes a scratch store for a part.</param>
    /// <param name="partClaims">About how many claims a part holds at most (fewer only in tests).</param>
    internal CardClaims(int items, Func<ScratchBlocks> newStore, int partClaims = DefaultPartClaims)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partClaims, 1);
        var parts = (int)Math.Max(1, ((long)items + partClaims - 1) / partClaims);
        _parts = [.. Enumerable.Range(0, parts).Select(_ => newStore())];
        _counts = new int[parts];
    }

    /// <summary>
    /// Keeps the claim of the card at <paramref name="planIndex"/>. A zero claim (one in 2^128) is not kept: that card
    /// is rendered, not copied.
    /// </summary>
    internal void Add(UInt128 claim, int planIndex)
    {
        if (claim == UInt128.Zero)
        {
            return;
        }
        Span<byte> record = stackalloc byte[RecordBytes];
        BinaryPrimitives.WriteUInt128LittleEndian(record, claim);
        BinaryPrimitives.WriteInt32LittleEndian(record[16..], planIndex);
        // Parts by the claim's high bits: a claim is a hash, so they fill about evenly, and equal claims share a part.
        var part = (int)(((ulong)(claim >> 96)) * (ulong)_parts.Length >> 32);
        _parts[part].Append(record);
        Interlocked.Increment(ref _counts[part]);
    }

    /// <summary>
    /// Cards equal in everything, by plan index: 0 for a card with no equal, -1 for the first of a group in plan order
    /// (which renders), the first's index + 1 for the others (copies of it); null when no two cards are equal. The
    /// table keeps its chunks in <paramref name="equalStore"/> past 64 of them. The parts' stores are released.
    /// </summary>
    internal ChunkedArray<int>? Group(int items, ScratchBlocks equalStore)
    {
        ChunkedArray<int>? equal = null;
        for (var p = 0; p < _parts.Length; p++)
        {
            var (keys, indexes) = (new UInt128[_counts[p]], new int[_counts[p]]);
            var k = 0;
            foreach (var block in _parts[p].InOrder())
            {
                for (var span = block.Span; span.Length >= RecordBytes; span = span[RecordBytes..], k++)
                {
                    (keys[k], indexes[k]) = (BinaryPrimitives.ReadUInt128LittleEndian(span), BinaryPrimitives.ReadInt32LittleEndian(span[16..]));
                }
            }
            _parts[p].Release();
            if (k != keys.Length)
            {
                throw new InvalidOperationException($"the check's claims read back {k} of {keys.Length}");
            }
            Array.Sort(keys, indexes);
            for (var start = 0; start < keys.Length;)
            {
                var end = start + 1;
                while (end < keys.Length && keys[end] == keys[start])
                {
                    end++;
                }
                if (end - start > 1)
                {
                    // The sort is not stable: the group's first card in plan order renders, as a worker reaches it first.
                    var first = int.MaxValue;
                    for (var j = start; j < end; j++)
                    {
                        first = Math.Min(first, indexes[j]);
                    }
                    if (equal is null)
                    {
                        equal = new ChunkedArray<int>();
                        equal.KeepChunksIn(equalStore, 64);
                        equal.EnsureLength(items);
                    }
                    for (var j = start; j < end; j++)
                    {
                        equal.Poke(indexes[j], indexes[j] == first ? -1 : first + 1);
                    }
                }
                start = end;
            }
        }
        return equal;
    }
}
