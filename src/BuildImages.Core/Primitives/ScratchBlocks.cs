using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Short byte records a build keeps to its end (its outcomes, the up-to-date record's outputs, its cards' fields),
/// packed into 64 KB blocks: held in memory up to a budget, then written to a scratch file beside the manifest. The file has no name on
/// Linux and macOS (unlinked once open, so nothing is left whenever its reader is dropped); on Windows it is deleted
/// when closed. If it cannot be made or written, blocks stay in memory. Thread-safe.
/// </summary>
internal sealed class ScratchBlocks
{
    private const int BlockBytes = 64 * 1024;

    private readonly string? _besideFile;
    private readonly string _purpose;
    private readonly ScratchBudget _budget;
    private readonly bool _makeFolder;
    private readonly Lock _lock = new();

    /// <summary>Filled blocks: their bytes while the budget lasts, else their place in the file.</summary>
    private readonly List<Block> _blocks = [];

    private byte[] _current = new byte[BlockBytes];
    private int _used;
    private long _fileEnd;
    private SafeFileHandle? _file;
    private bool _unusable;

    /// <param name="besideFile">The file the scratch file goes beside (the manifest); null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="purpose">Names the scratch file (a killed build's is swept by the next).</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    /// <param name="makeFolder">Whether to make the folder of <paramref name="besideFile"/> when the file is needed and the folder is not there yet.</param>
    internal ScratchBlocks(string? besideFile, string purpose, ScratchBudget budget, bool makeFolder = false)
    {
        _besideFile = besideFile;
        _purpose = purpose;
        _budget = budget;
        _makeFolder = makeFolder;
    }

    /// <summary>Whether a scratch file holds some of the blocks (for tests).</summary>
    internal bool UsesFile
    {
        get
        {
            lock (_lock)
            {
                return _file is not null;
            }
        }
    }

    /// <summary>Keeps a copy of <paramref name="bytes"/> and says where it is.</summary>
    internal Place Append(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            bytes.CopyTo(Reserve(bytes.Length, out var place));
            return place;
        }
    }

    /// <summary>Keeps the <paramref name="size"/> bytes <paramref name="write"/> makes of <paramref name="state"/>, written straight into the block, and says where they are.</summary>
    internal Place Append<TState>(int size, TState state, System.Buffers.SpanAction<byte, TState> write)
    {
        lock (_lock)
        {
            write(Reserve(size, out var place), state);
            return place;
        }
    }

    /// <summary>Room for <paramref name="size"/> bytes at the current block's end (under the lock).</summary>
    private Span<byte> Reserve(int size, out Place place)
    {
        if (_used + size > _current.Length)
        {
            Seal(size);
        }
        place = new Place(_blocks.Count, _used, size);
        _used += size;
        return _current.AsSpan(place.Offset, size);
    }

    /// <summary>
    /// The bytes kept at <paramref name="place"/>: a view of a block in memory, or a copy read from the file. A view of
    /// the block still being filled is valid until the next <see cref="Append"/> (its array is reused once the block is
    /// written to the file): read what was kept once keeping is over, as the sorted lists do.
    /// </summary>
    internal ArraySegment<byte> Read(Place place)
    {
        lock (_lock)
        {
            if (place.Block == _blocks.Count)
            {
                return new ArraySegment<byte>(_current, place.Offset, place.Length);
            }
            var block = _blocks[place.Block];
            if (block.Bytes is { } held)
            {
                return new ArraySegment<byte>(held, place.Offset, place.Length);
            }
            var bytes = new byte[place.Length];
            var at = block.FileOffset + place.Offset;
            for (var done = 0; done < place.Length;)
            {
                var read = RandomAccess.Read(_file!, bytes.AsSpan(done), at + done);
                if (read == 0)
                {
                    throw new IOException($"the build's scratch file of {_purpose} ended early: something truncated it");
                }
                done += read;
            }
            return bytes;
        }
    }

    /// <summary>Files the current block (in memory while the budget lasts, else in the file) and starts one that holds <paramref name="nextSize"/>.</summary>
    private void Seal(int nextSize)
    {
        if (_used == 0)
        {
            _current = new byte[Math.Max(BlockBytes, nextSize)];
            return;
        }
        var taken = _budget.TryTake(_current.Length);
        if (!taken && Writable() is { } file)
        {
            try
            {
                RandomAccess.Write(file, _current.AsSpan(0, _used), _fileEnd);
                _blocks.Add(new Block(null, _fileEnd));
                _fileEnd += _used;
                _current = _current.Length >= nextSize ? _current : new byte[nextSize];
                _used = 0;
                return;
            }
            catch (IOException)
            {
                // A full disk: this block and the rest stay in memory (the build is bigger, not broken).
                _unusable = true;
            }
        }
        // Kept whole: its unused end is shorter than the record that did not fit. Counted even when the budget was spent
        // (no file could take it).
        if (!taken)
        {
            _budget.Take(_current.Length);
        }
        _blocks.Add(new Block(_current, 0));
        _current = new byte[Math.Max(BlockBytes, nextSize)];
        _used = 0;
    }

    private SafeFileHandle? Writable()
    {
        if (_file is null && !_unusable && _besideFile is not null)
        {
            try
            {
                if (_makeFolder)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_besideFile))!);
                }
                // Read through the open handle only: no name is left behind, whenever the reader is dropped.
                _file = AtomicFile.OpenScratch(_besideFile, _purpose, nameless: true).Handle;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _unusable = true;
            }
        }
        return _unusable ? null : _file;
    }

    /// <summary>Where a record is: its block, its offset in the block, its length.</summary>
    internal readonly record struct Place(int Block, int Offset, int Length);

    /// <summary>A filled block: its bytes, or (null) its offset in the file.</summary>
    private readonly record struct Block(byte[]? Bytes, long FileOffset);
}
