using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Output files (relative to the output folder) → the write time BuildImages last verified them at, read and updated by
/// worker threads. The files are the build's <see cref="PathPool"/> ids and the times held by id, about 4 bytes an entry
/// beside the pool's copy of the path, where a set of (string, time) entries cost 24 bytes and a string of 72 (at a
/// million items the table held four million of each to the build's end). The lock is taken once per file written or
/// checked, never for long.
/// </summary>
/// <remarks>
/// Ids come in chunks of 4,096. A chunk holds each time as 32 bits past a time of its own (its first time less 2^31
/// ticks: the chunk's times within 214 seconds of its first, as files written one after another by one build are), and
/// is widened to whole 64-bit times the first time one does not fit. A table as a long per id was 32 MB of a
/// million-item build to its end. A build's table files its times instead (see the constructor): each a whole 64-bit
/// time in a <see cref="ChunkedArray{T}"/> that holds only the chunks used lately, so the table does not grow with items.
/// </remarks>
internal sealed class OutputTimeTable
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;

    /// <summary>The chunks of a filed table's times (4,096 each, 32 KiB) held at once: 8 MiB.</summary>
    internal const int DefaultChunksHeld = 256;

    private readonly PathPool _paths;
    private readonly Lock _lock = new();
    private Chunk?[] _chunks = [];
    private int _count;

    // A filed table's times by id, 0 for none (no file's time is the year 1): null when the table holds its chunks.
    private readonly ChunkedArray<long>? _filed;

    internal OutputTimeTable()
        : this(new PathPool())
    {
    }

    /// <param name="paths">The pool the files are ids in.</param>
    /// <param name="store">Where the times are filed past <paramref name="mostChunksHeld"/> chunks (a build's, beside its manifest); null: held, 4 bytes a time.</param>
    /// <param name="mostChunksHeld">Chunks of a filed table held at once.</param>
    internal OutputTimeTable(PathPool paths, ScratchBlocks? store = null, int mostChunksHeld = DefaultChunksHeld)
    {
        _paths = paths;
        if (store is not null)
        {
            _filed = new();
            _filed.KeepChunksIn(store, mostChunksHeld);
        }
    }

    /// <summary>The pool the table's files are ids in (the build's, shared with the outcome log and the up-to-date record).</summary>
    internal PathPool Paths => _paths;

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>The files, for tests and messages (a copy).</summary>
    internal IReadOnlyList<string> Files
    {
        get
        {
            lock (_lock)
            {
                return [.. Enumerable.Range(0, _filed?.Length ?? (_chunks.Length * ChunkSize)).Where(id => Get(id) is not null).Select(_paths.PathOf)];
            }
        }
    }

    /// <summary>How many chunks hold whole 64-bit times (for tests).</summary>
    internal int WideChunks
    {
        get
        {
            lock (_lock)
            {
                return _chunks.Count(c => c?.IsWide == true);
            }
        }
    }

    internal bool TryGetValue(string file, out long ticks) => TryGetValue(_paths.Find(file), out ticks);

    /// <summary>The time of the file with pool id <paramref name="id"/> (none for -1, the id of a path the pool does not hold).</summary>
    internal bool TryGetValue(int id, out long ticks)
    {
        lock (_lock)
        {
            var time = id >= 0 ? Get(id) : null;
            ticks = time ?? 0;
            return time is not null;
        }
    }

    /// <summary>Makes room for <paramref name="files"/> entries at once (arrays grown by doubling hold the old beside the new).</summary>
    internal void Expect(int files)
    {
        _paths.Expect(files);
        lock (_lock)
        {
            Grow(files);
        }
    }

    internal void Set(string file, long ticks)
    {
        var id = _paths.Add(file);
        lock (_lock)
        {
            if (_filed is { } filed)
            {
                filed.EnsureLength(id + 1);
                if (filed.Get(id) == 0)
                {
                    _count++;
                }
                filed.Set(id, ticks);
                return;
            }
            if (id >= _chunks.Length * ChunkSize)
            {
                Grow((int)Math.Min(Array.MaxLength, Math.Max(id + 1L, 2L * _chunks.Length * ChunkSize)));
            }
            var chunk = _chunks[id >> ChunkBits] ??= new Chunk(ticks);
            if (chunk.Set(id & (ChunkSize - 1), ticks))
            {
                _count++;
            }
        }
    }

    // Under the lock.
    private long? Get(int id)
    {
        if (_filed is { } filed)
        {
            return id < filed.Length && filed.Get(id) is var ticks and not 0 ? ticks : null;
        }
        var at = id >> ChunkBits;
        return at < _chunks.Length && _chunks[at] is { } chunk ? chunk.Get(id & (ChunkSize - 1)) : null;
    }

    // Under the lock: room for ids below length (the chunks themselves are made when a time is first set in them).
    private void Grow(int length)
    {
        if (_filed is { } filed)
        {
            filed.EnsureLength(length);
            return;
        }
        var chunks = (int)(((long)length + ChunkSize - 1) >> ChunkBits);
        if (chunks > _chunks.Length)
        {
            Array.Resize(ref _chunks, chunks);
        }
    }

    /// <summary>The times of 4,096 ids: as offsets from a time of the chunk's own while they fit, else whole.</summary>
    private sealed class Chunk(long first)
    {
        // An offset that marks no time.
        private const uint NoOffset = uint.MaxValue;
        // A whole time that marks none.
        private const long NoTime = long.MinValue;

        // Offsets are from the chunk's first time less this, so times on either side of it fit.
        private readonly long _base = first - (1L << 31);
        private uint[]? _offsets = CreateOffsets();
        private long[]? _ticks;

        internal bool IsWide => _ticks is not null;

        internal long? Get(int index)
        {
            if (_ticks is { } ticks)
            {
                return ticks[index] == NoTime ? null : ticks[index];
            }
            var offset = _offsets![index];
            return offset == NoOffset ? null : _base + offset;
        }

        /// <summary>Sets the time at <paramref name="index"/>; whether it had none before.</summary>
        internal bool Set(int index, long ticks)
        {
            var had = Get(index) is not null;
            if (_offsets is { } offsets && ticks - _base is >= 0 and < NoOffset)
            {
                offsets[index] = (uint)(ticks - _base);
                return !had;
            }
            if (_ticks is null)
            {
                Widen();
            }
            _ticks![index] = ticks;
            return !had;
        }

        private void Widen()
        {
            var ticks = new long[ChunkSize];
            for (var i = 0; i < ChunkSize; i++)
            {
                ticks[i] = Get(i) ?? NoTime;
            }
            (_ticks, _offsets) = (ticks, null);
        }

        private static uint[] CreateOffsets()
        {
            var offsets = new uint[ChunkSize];
            offsets.AsSpan().Fill(NoOffset);
            return offsets;
        }
    }
}
