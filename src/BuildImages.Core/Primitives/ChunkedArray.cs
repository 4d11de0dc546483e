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
    // By chunk: whether a Share() holds it too (then it is copied before it is written). Shorter than _chunks: the rest are not shared.
    private bool[] _shared = [];

    /// <summary>How many entries there is room for (a whole number of chunks).</summary>
    internal int Length => _used * ChunkSize;

    /// <summary>The entry at <paramref name="index"/> (below <see cref="Length"/>), to read; or to write in an array never shared (<see cref="Set"/> otherwise).</summary>
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

    /// <summary>
    /// The entries as they are now, unaffected by later changes to this array: the chunks are shared, and this array copies
    /// a shared chunk the first time it sets an entry in it (<see cref="Set"/>, <see cref="Clear"/>), so only the chunks
    /// written meanwhile are copied. The copy is for reading only. A checkpoint of the record table's entries copied all of
    /// them, 16 bytes a record (32 MB at two million, made in the copy phase, where a large build peaks).
    /// </summary>
    internal ChunkedArray<T> Share()
    {
        if (_shared.Length < _chunks.Length)
        {
            Array.Resize(ref _shared, _chunks.Length);
        }
        _shared.AsSpan(0, _used).Fill(true);
        var shared = new bool[_used];
        shared.AsSpan().Fill(true);
        return new() { _chunks = _chunks[.._used], _used = _used, _shared = shared };
    }

    /// <summary>Sets the entry at <paramref name="index"/> (below <see cref="Length"/>), copying its chunk first if a <see cref="Share"/> holds it.</summary>
    internal void Set(int index, T value) => Own(index >> ChunkBits)[index & (ChunkSize - 1)] = value;

    /// <summary>Sets every entry to its default.</summary>
    internal void Clear()
    {
        for (var i = 0; i < _used; i++)
        {
            if (IsShared(i))
            {
                (_chunks[i], _shared[i]) = (new T[ChunkSize], false);
            }
            else
            {
                Array.Clear(_chunks[i]);
            }
        }
    }

    private bool IsShared(int chunk) => chunk < _shared.Length && _shared[chunk];

    // Chunk number chunk, this array's own: copied from a shared one the first time it is written.
    private T[] Own(int chunk)
    {
        if (IsShared(chunk))
        {
            (_chunks[chunk], _shared[chunk]) = ((T[])_chunks[chunk].Clone(), false);
        }
        return _chunks[chunk];
    }
}
