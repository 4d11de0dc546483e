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

    // The chunks in use come first; the list has room for more (it grows by half again: a million entries are 245
    // chunks, a list of 2 KB), each made only when needed.
    private T[][] _chunks = [];
    private int _used;

    /// <summary>How many entries there is room for (a whole number of chunks).</summary>
    internal int Length => _used * ChunkSize;

    /// <summary>The entry at <paramref name="index"/> (below <see cref="Length"/>).</summary>
    internal ref T this[int index] => ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    /// <summary>Makes room for entries up to index <paramref name="length"/> - 1 (new entries are default).</summary>
    internal void EnsureLength(int length)
    {
        var chunks = (int)(((long)length + ChunkSize - 1) >> ChunkBits);
        if (chunks > _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(chunks, _chunks.Length + (_chunks.Length / 2)));
        }
        for (; _used < chunks; _used++)
        {
            _chunks[_used] = new T[ChunkSize];
        }
    }

    /// <summary>A copy of every entry (the chunks copied, not shared).</summary>
    internal ChunkedArray<T> Clone() => new() { _chunks = [.. _chunks.Take(_used).Select(c => (T[])c.Clone())], _used = _used };

    /// <summary>Sets every entry to its default.</summary>
    internal void Clear()
    {
        for (var i = 0; i < _used; i++)
        {
            Array.Clear(_chunks[i]);
        }
    }
}
