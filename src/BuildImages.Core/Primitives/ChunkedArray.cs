namespace BuildImages.Core.Primitives;

/// <summary>
/// An array of <typeparamref name="T"/> by index, held as chunks of 4,096: it grows a chunk at a time, never by
/// doubling one large array (which left half of it unused, and held the old beside the new while it copied: the
/// record table's entries were 32 MB for a million records). Not thread-safe: its owner locks.
/// </summary>
internal sealed class ChunkedArray<T>
    where T : struct
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;

    private T[][] _chunks = [];

    /// <summary>How many entries there is room for (a whole number of chunks).</summary>
    internal int Length => _chunks.Length * ChunkSize;

    /// <summary>The entry at <paramref name="index"/> (below <see cref="Length"/>).</summary>
    internal ref T this[int index] => ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    /// <summary>Makes room for entries up to index <paramref name="length"/> - 1 (new entries are default).</summary>
    internal void EnsureLength(int length)
    {
        var chunks = (int)(((long)length + ChunkSize - 1) >> ChunkBits);
        if (chunks <= _chunks.Length)
        {
            return;
        }
        // The chunk list itself grows by half again: a million entries are 245 chunks, a list of 2 KB.
        var grown = new T[Math.Max(chunks, _chunks.Length + (_chunks.Length / 2))][];
        _chunks.CopyTo(grown, 0);
        for (var i = _chunks.Length; i < grown.Length; i++)
        {
            grown[i] = new T[ChunkSize];
        }
        _chunks = grown;
    }

    /// <summary>A copy of every entry (the chunks copied, not shared).</summary>
    internal ChunkedArray<T> Clone() => new() { _chunks = [.. _chunks.Select(c => (T[])c.Clone())] };

    /// <summary>Sets every entry to its default.</summary>
    internal void Clear()
    {
        foreach (var chunk in _chunks)
        {
            Array.Clear(chunk);
        }
    }
}
