namespace BuildImages.Core.Primitives;

/// <summary>
/// An array of <typeparamref name="T"/> by index, held as chunks of 4,096: it grows a chunk at a time, never by
/// doubling one large array (which left half of it unused, and held the old beside the new while it copied: the
/// record table's entries were 32 MB for a million records). Not thread-safe: its owner locks; but one that files its
/// chunks (<see cref="KeepChunksIn"/>) is read and written with <see cref="Get"/> and <see cref="Set"/>, which lock.
/// A copy made by <see cref="Share"/> shares the chunks (held, and filed) and is only read.
/// </summary>
internal sealed class ChunkedArray<T>
    where T : unmanaged
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;

    // The chunks in use come first; the list has room for more (it grows by half again: a million entries are 245
    // chunks, a list of 2 KB), each made only when needed.
    private T[][] _chunks = [];
    private int _used;
    // By chunk: whether a Share() holds it too (then it is copied before it is written). Shorter than _chunks: the rest are not shared.
    private bool[] _shared = [];

    // Filing, once KeepChunksIn is called: where a chunk goes when more than _mostHeld are held (null: all are held). By
    // chunk: where its last copy was filed (empty: never; then, when not held, all its entries are default), whether it
    // changed since, and whether it was used since the clock's hand last passed it. A chunk not held is null in _chunks.
    private ScratchBlocks? _store;
    private int _mostHeld;
    private int _held;
    private int _hand;
    private ScratchBlocks.Place[] _filedAt = [];
    private bool[] _changed = [];
    private bool[] _usedLately = [];
    // By chunk: whether a Share() reads its filed place, which is then never written over (a change is filed anew).
    private bool[] _placeShared = [];
    private int _lastMissed = -1;
    // A filed array's Share(): reads its held chunks and its places, and brings none back; but keeps a copy of the one
    // chunk a walk in about index order is in (a checkpoint writing the records in key order).
    private bool _frozen;
    private int _walkChunk = -1;
    private T[]? _walkCopy;
    private readonly Lock _fileLock = new();

    /// <summary>How many chunks are held in memory (for tests).</summary>
    internal int ChunksHeld
    {
        get
        {
            lock (_fileLock)
            {
                return _store is null ? _used : _held;
            }
        }
    }

    /// <summary>How many entries there is room for (a whole number of chunks).</summary>
    internal int Length => _used * ChunkSize;

    /// <summary>
    /// The entry at <paramref name="index"/> (below <see cref="Length"/>), to read; or to write in an array never shared
    /// (<see cref="Set"/> otherwise). Not for an array that files its chunks (<see cref="Get"/> and <see cref="Set"/>).
    /// </summary>
    internal ref T this[int index]
    {
        get
        {
            if (_store is not null)
            {
                throw new InvalidOperationException("an array that files its chunks is read with Get and written with Set");
            }
            return ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];
        }
    }

    /// <summary>
    /// Keeps at most <paramref name="mostHeld"/> chunks in memory from now on, filing the one used least lately in
    /// <paramref name="store"/> when another is needed (a chunk read back that has not changed is dropped, not filed
    /// again): for a table of an entry per output, 4 bytes each, 48 MB at three million items, whose finish reads it in
    /// path order. Entries are then read and written only with <see cref="Get"/> and <see cref="Set"/>.
    /// </summary>
    internal void KeepChunksIn(ScratchBlocks store, int mostHeld)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mostHeld, 1);
        lock (_fileLock)
        {
            (_store, _mostHeld) = (store, mostHeld);
            GrowFiling(_chunks.Length);
            // Every chunk made so far is held, and none is filed yet; those past the most held are filed at once (an
            // array made long before it files: better made long after, as chunks not set are then neither held nor filed).
            _held = _used;
            _changed.AsSpan(0, _used).Fill(true);
            while (_held > _mostHeld)
            {
                LetGoOne();
            }
        }
    }

    /// <summary>The entry at <paramref name="index"/> (below <see cref="Length"/>).</summary>
    internal T Get(int index)
    {
        if (_store is null)
        {
            return _chunks[index >> ChunkBits][index & (ChunkSize - 1)];
        }
        lock (_fileLock)
        {
            var chunk = index >> ChunkBits;
            if (_chunks[chunk] is not { } held)
            {
                if (_filedAt[chunk].IsEmpty)
                {
                    return default;
                }
                if (_frozen && chunk == _walkChunk)
                {
                    return _walkCopy![index & (ChunkSize - 1)];
                }
                if (_frozen && _lastMissed == chunk)
                {
                    _walkCopy ??= new T[ChunkSize];
                    ReadFiled(chunk, 0, _walkCopy);
                    _walkChunk = chunk;
                    return _walkCopy[index & (ChunkSize - 1)];
                }
                if (_lastMissed != chunk)
                {
                    // A read out of order (a lookup, a walk in path order over paths that came in another order) reads
                    // its entry alone; a second in the same chunk in a row brings the chunk back (a walk in about id order).
                    _lastMissed = chunk;
                    var entry = default(T);
                    ReadFiled(chunk, index & (ChunkSize - 1), new Span<T>(ref entry));
                    return entry;
                }
                held = Hold(chunk);
            }
            _usedLately[chunk] = true;
            return held[index & (ChunkSize - 1)];
        }
    }

    /// <summary>
    /// Copies the entries from <paramref name="index"/> on into <paramref name="run"/>, as many as fit and its chunk
    /// holds; how many. Where the chunk is filed and not held, they are read alone and the chunk stays filed: for lookups
    /// at random (a hash index's probes), where bringing a chunk back for each is 16 KB read and another written.
    /// </summary>
    internal int Peek(int index, Span<T> run)
    {
        var chunk = index >> ChunkBits;
        var at = index & (ChunkSize - 1);
        var count = Math.Min(run.Length, ChunkSize - at);
        if (_store is null)
        {
            _chunks[chunk].AsSpan(at, count).CopyTo(run);
            return count;
        }
        lock (_fileLock)
        {
            if (_chunks[chunk] is { } held)
            {
                _usedLately[chunk] = true;
                held.AsSpan(at, count).CopyTo(run);
            }
            else if (_filedAt[chunk].IsEmpty)
            {
                run[..count].Clear();
            }
            else
            {
                ReadFiled(chunk, at, run[..count]);
            }
            return count;
        }
    }

    /// <summary>
    /// Sets the entry at <paramref name="index"/>, as <see cref="Set"/>, but where its chunk is filed and not held, writes
    /// the entry alone where the chunk was filed: the other half of <see cref="Peek"/>.
    /// </summary>
    internal void Poke(int index, T value)
    {
        var chunk = index >> ChunkBits;
        if (_store is null)
        {
            Set(index, value);
            return;
        }
        lock (_fileLock)
        {
            if (_chunks[chunk] is null && !_filedAt[chunk].IsEmpty && !_placeShared[chunk] && !_frozen)
            {
                WriteFiled(chunk, index & (ChunkSize - 1), new ReadOnlySpan<T>(in value));
                return;
            }
            OwnFiled(chunk)[index & (ChunkSize - 1)] = value;
        }
    }

    /// <summary>
    /// Chunk <paramref name="chunk"/> held, to be changed, and marked so: brought back if filed, copied first if a share
    /// holds its array (under the file lock).
    /// </summary>
    private T[] OwnFiled(int chunk)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("a shared copy is only read");
        }
        var held = _chunks[chunk] ?? Hold(chunk);
        if (_shared[chunk])
        {
            (held, _shared[chunk]) = ((T[])held.Clone(), false);
            _chunks[chunk] = held;
        }
        (_changed[chunk], _usedLately[chunk]) = (true, true);
        return held;
    }

    /// <summary>Makes room for entries up to index <paramref name="length"/> - 1 (new entries are default).</summary>
    internal void EnsureLength(int length)
    {
        var chunks = (int)(((long)length + ChunkSize - 1) >> ChunkBits);
        if (_store is not null)
        {
            lock (_fileLock)
            {
                // Made when first set: a chunk neither held nor filed reads as default.
                if (chunks > _chunks.Length)
                {
                    Array.Resize(ref _chunks, Math.Max(chunks, _chunks.Length + (_chunks.Length / 2)));
                    GrowFiling(_chunks.Length);
                }
                _used = Math.Max(_used, chunks);
                return;
            }
        }
        if (chunks > _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(chunks, _chunks.Length + (_chunks.Length / 2)));
        }
        for (; _used < chunks; _used++)
        {
            _chunks[_used] = new T[ChunkSize];
        }
    }

    // Entries from at on of filed chunk chunk, read into to / written over from from (under the file lock).
    private void ReadFiled(int chunk, int at, Span<T> to) =>
        _store!.ReadPart(_filedAt[chunk], at * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), System.Runtime.InteropServices.MemoryMarshal.AsBytes(to));

    private void WriteFiled(int chunk, int at, ReadOnlySpan<T> from) =>
        _store!.WritePart(_filedAt[chunk], at * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), System.Runtime.InteropServices.MemoryMarshal.AsBytes(from));

    // The filing's arrays by chunk, as long as _chunks (under the file lock).
    private void GrowFiling(int length)
    {
        if (_filedAt.Length < length)
        {
            Array.Resize(ref _filedAt, length);
            Array.Resize(ref _changed, length);
            Array.Resize(ref _usedLately, length);
            Array.Resize(ref _placeShared, length);
        }
        if (_shared.Length < length)
        {
            Array.Resize(ref _shared, length);
        }
    }

    /// <summary>
    /// Holds chunk <paramref name="chunk"/> (not held now): read back from where it was filed, or all default when it never
    /// was; first filing another, the one the clock's hand finds not used lately, when as many as allowed are held (under
    /// the file lock). Its array is the one let go when there is one.
    /// </summary>
    private T[] Hold(int chunk)
    {
        var array = _held >= _mostHeld ? LetGoOne() : null;
        array ??= new T[ChunkSize];
        if (_filedAt[chunk].IsEmpty)
        {
            Array.Clear(array);
        }
        else
        {
            ReadFiled(chunk, 0, array);
        }
        (_chunks[chunk], _changed[chunk], _usedLately[chunk], _shared[chunk]) = (array, false, true, false);
        _held++;
        return array;
    }

    // Files (when changed) and drops a held chunk not used since the hand last passed it, clearing the mark of those
    // that were (a clock: each chunk passed at most twice); its array, free for another.
    private T[]? LetGoOne()
    {
        for (; ; _hand = _hand + 1 >= _used ? 0 : _hand + 1)
        {
            if (_chunks[_hand] is not { } held)
            {
                continue;
            }
            if (_usedLately[_hand])
            {
                _usedLately[_hand] = false;
                continue;
            }
            if (_changed[_hand])
            {
                // Filed where it was before when it was (the array alone reads its places: nothing else sees the old bytes).
                if (_filedAt[_hand].IsEmpty || _placeShared[_hand])
                {
                    (_filedAt[_hand], _placeShared[_hand]) = (_store!.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(held.AsSpan())), false);
                }
                else
                {
                    WriteFiled(_hand, 0, held);
                }
            }
            _chunks[_hand] = null!;
            _held--;
            // A shared array is the copy's still: not reused for another chunk.
            return _shared[_hand] ? null : held;
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
        if (_store is not null)
        {
            return ShareFiled();
        }
        if (_shared.Length < _chunks.Length)
        {
            Array.Resize(ref _shared, _chunks.Length);
        }
        _shared.AsSpan(0, _used).Fill(true);
        var shared = new bool[_used];
        shared.AsSpan().Fill(true);
        return new() { _chunks = _chunks[.._used], _used = _used, _shared = shared };
    }

    /// <summary>
    /// As <see cref="Share"/>, for an array that files its chunks: the copy reads the chunks held now from their arrays
    /// (this array copies one before it changes it, and never reuses it for another chunk) and the rest where they are
    /// filed (a change to one is then filed anew, not written over it), each entry alone, holding nothing more.
    /// </summary>
    private ChunkedArray<T> ShareFiled()
    {
        lock (_fileLock)
        {
            if (_frozen)
            {
                throw new InvalidOperationException("a shared copy is only read");
            }
            for (var c = 0; c < _used; c++)
            {
                _shared[c] = _chunks[c] is not null;
                _placeShared[c] = !_filedAt[c].IsEmpty;
            }
            return new()
            {
                _chunks = _chunks[.._used],
                _used = _used,
                _store = _store,
                _mostHeld = _mostHeld,
                _held = _held,
                _filedAt = _filedAt[.._used],
                _changed = new bool[_used],
                _usedLately = new bool[_used],
                _placeShared = new bool[_used],
                _shared = new bool[_used],
                _frozen = true,
            };
        }
    }

    /// <summary>Sets the entry at <paramref name="index"/> (below <see cref="Length"/>), copying its chunk first if a <see cref="Share"/> holds it.</summary>
    internal void Set(int index, T value)
    {
        if (_store is null)
        {
            Own(index >> ChunkBits)[index & (ChunkSize - 1)] = value;
            return;
        }
        lock (_fileLock)
        {
            var chunk = index >> ChunkBits;
            OwnFiled(chunk)[index & (ChunkSize - 1)] = value;
        }
    }

    /// <summary>Sets every entry to its default.</summary>
    internal void Clear()
    {
        if (_store is not null)
        {
            lock (_fileLock)
            {
                if (_frozen)
                {
                    throw new InvalidOperationException("a shared copy is only read");
                }
                // Neither held nor filed: each reads as default until set (a share keeps the arrays and places it reads).
                Array.Clear(_chunks);
                Array.Clear(_filedAt);
                Array.Clear(_placeShared);
                Array.Clear(_shared);
                _held = 0;
                return;
            }
        }
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
