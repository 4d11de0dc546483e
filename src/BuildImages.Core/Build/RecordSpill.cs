using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Build;

/// <summary>
/// Where the records a build sets are kept, serialised, until the manifest is saved: in memory up to a budget, then in
/// a scratch file beside the manifest (a hundred thousand cards' records are about 200 MB the collector would keep
/// walking; in the file they are a few bytes each here and pages the kernel can drop). A stored record never changes,
/// so a snapshot of the table shares them. The file is deleted when the build ends; one a killed build left is a temp
/// file the next build removes. If the file cannot be made or written (a read-only or full disk), records stay in memory.
/// </summary>
internal sealed class RecordSpill : IDisposable
{
    /// <summary>Serialised records held in memory before the rest go to the file: small builds never make one.</summary>
    internal const long DefaultMemoryBudget = 16 * 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;

    private static long s_nextId;

    [ThreadStatic]
    private static Chunk? t_chunk;

    private readonly string _manifestFile;
    private readonly Primitives.ScratchBudget _budget;
    private readonly long _id = Interlocked.Increment(ref s_nextId);

    /// <summary>Guards the file: made, written and closed one at a time, so everything below its end is written.</summary>
    private readonly Lock _lock = new();
    private long _end;
    // Records held in memory, by the index their place names (~Offset); grown under the lock, published whole.
    private byte[][] _held = new byte[64][];
    private int _heldCount;
    private SafeFileHandle? _file;
    private bool _unusable;

    /// <param name="manifestFile">The manifest the scratch file goes beside.</param>
    /// <param name="memoryBudget">Bytes of records held in memory before the file is used.</param>
    internal RecordSpill(string manifestFile, long memoryBudget = DefaultMemoryBudget)
        : this(manifestFile, new Primitives.ScratchBudget(memoryBudget))
    {
    }

    /// <param name="manifestFile">The manifest the scratch file goes beside.</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    internal RecordSpill(string manifestFile, Primitives.ScratchBudget budget)
    {
        _manifestFile = manifestFile;
        _budget = budget;
    }

    /// <summary>Scratch blocks beside the same manifest, under the same budget, for what the records' table keeps besides the records (its keys' bytes).</summary>
    internal Primitives.ScratchBlocks ScratchStore(string purpose) => new(_manifestFile, purpose, _budget);

    /// <summary>The scratch file, once made (for tests and messages).</summary>
    internal string? FilePath { get; private set; }

    /// <summary>Keeps <paramref name="json"/>: the array itself while the budget lasts, else its place in the file.</summary>
    internal Stored Keep(byte[] json)
    {
        if (!_budget.TryTake(json.Length))
        {
            lock (_lock)
            {
                if (Writable() is { } file)
                {
                    try
                    {
                        RandomAccess.Write(file, json, _end);
                        var stored = new Stored(_end, json.Length);
                        Volatile.Write(ref _end, _end + json.Length);
                        return stored;
                    }
                    catch (IOException)
                    {
                        // A full disk: this record and the rest stay in memory (the build is bigger, not broken).
                        _unusable = true;
                    }
                }
            }
            // No file could take it: held, and counted.
            _budget.Take(json.Length);
        }
        return Hold(json);
    }

    private Stored Hold(byte[] json)
    {
        lock (_lock)
        {
            if (_heldCount == _held.Length)
            {
                var grown = new byte[_held.Length * 2][];
                _held.CopyTo(grown, 0);
                Volatile.Write(ref _held, grown);
            }
            _held[_heldCount] = json;
            return new Stored(~(long)_heldCount++, json.Length);
        }
    }

    /// <summary>
    /// The bytes <see cref="Keep"/> stored. Valid until this thread reads again: records in the file are read a chunk
    /// at a time into the thread's buffer, so reading them in the order they were kept costs a system call per chunk,
    /// not per record.
    /// </summary>
    internal ReadOnlySpan<byte> Read(Stored stored)
    {
        if (stored.Offset < 0)
        {
            return Volatile.Read(ref _held)[(int)~stored.Offset];
        }
        var chunk = t_chunk;
        if (chunk is null || chunk.Spill != _id || stored.Offset < chunk.Start || stored.Offset + stored.Length > chunk.Start + chunk.Length)
        {
            chunk = t_chunk = ReadChunk(stored, chunk);
        }
        return chunk.Bytes.AsSpan((int)(stored.Offset - chunk.Start), stored.Length);
    }

    private Chunk ReadChunk(Stored stored, Chunk? reuse)
    {
        // A chunk when reading on from within or at the end of this thread's last read (records in the order kept: the
        // manifest's save, the finish); the record alone otherwise (a check in the data's order, not the manifest's,
        // would copy 64 KB for each 2 KB record).
        var onward = reuse is not null && reuse.Spill == _id && stored.Offset >= reuse.Start && stored.Offset <= reuse.Start + reuse.Length;
        // Only what is written: a record stored is below the end, and nothing below the end changes again.
        var length = (int)Math.Min(onward ? Math.Max(ChunkBytes, stored.Length) : stored.Length, Volatile.Read(ref _end) - stored.Offset);
        var bytes = reuse is not null && reuse.Bytes.Length >= length ? reuse.Bytes : new byte[Math.Max(ChunkBytes, length)];
        var done = 0;
        while (done < length)
        {
            var read = RandomAccess.Read(_file!, bytes.AsSpan(done, length - done), stored.Offset + done);
            if (read == 0)
            {
                throw new IOException($"the build's scratch file of records '{FilePath}' ended early: something truncated it");
            }
            done += read;
        }
        return new Chunk(_id, stored.Offset, length, bytes);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
            _unusable = true;
        }
    }

    /// <summary>The file, made on first use (under the lock); null once it could not be made or written, or after disposal.</summary>
    private SafeFileHandle? Writable()
    {
        if (_file is null && !_unusable)
        {
            try
            {
                // Deleted when closed: nothing to clean up after a build that ends, even by an exception.
                (_file, FilePath) = Primitives.AtomicFile.OpenScratch(_manifestFile, "records", nameless: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _unusable = true;
            }
        }
        return _unusable ? null : _file;
    }

    /// <summary>
    /// A stored record: its place in the file, or (an offset below 0) the index ~<see cref="Offset"/> of its bytes held in
    /// memory. 16 bytes: a million records are kept by it, where a reference to the bytes beside it was 8 more each.
    /// </summary>
    internal readonly record struct Stored(long Offset, int Length);

    /// <summary>Bytes of one spill's file a thread read last, from <see cref="Start"/>.</summary>
    private sealed record Chunk(long Spill, long Start, int Length, byte[] Bytes);
}
