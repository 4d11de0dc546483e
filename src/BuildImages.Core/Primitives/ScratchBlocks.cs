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

    // Made by the first append: most stores of a small build (its problems, its diagnostics) stay empty.
    private byte[] _current = [];
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

    /// <summary>
    /// Another store beside the same file, under the same budget, with a scratch file of its own: for what its owner files
    /// while others read this store's records (a view of the block being filled is valid only until the next append).
    /// </summary>
    internal ScratchBlocks Sibling(string purpose) => new(_besideFile, purpose, _budget, _makeFolder);

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

    /// <summary>The bytes written to the scratch file (for tests).</summary>
    internal long FileBytes
    {
        get
        {
            lock (_lock)
            {
                return _fileEnd;
            }
        }
    }

    /// <summary>
    /// Drops every record kept, gives the memory they held back to the budget, and closes the scratch file: for a store
    /// used in one step of a build (the check's claims), whose budget the later steps' stores then have. Not used after.
    /// </summary>
    internal void Release()
    {
        lock (_lock)
        {
            long held = 0;
            foreach (var block in _blocks)
            {
                held += block.Bytes?.Length ?? 0;
            }
            _budget.Give(held);
            _blocks.Clear();
            (_current, _used, _fileEnd) = ([], 0, 0);
            _file?.Dispose();
            (_file, _unusable) = (null, true);
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

    /// <summary>
    /// Keeps the <paramref name="size"/> bytes <paramref name="write"/> makes of <paramref name="state"/> after their
    /// length, at a 4-byte boundary, and says where in 4 bytes (<see cref="CountedPlace"/>): for stores that keep a place
    /// per output or item (the outcome log, the plan), where the 8-byte <see cref="Place"/> was 32 MB of a
    /// million-item build. Padding lies between such records: a store of them is read by place, never <see cref="InOrder"/>.
    /// </summary>
    internal CountedPlace AppendCounted<TState>(int size, TState state, System.Buffers.SpanAction<byte, TState> write)
    {
        lock (_lock)
        {
            write(ReserveCounted(size, out var place), state);
            return place;
        }
    }

    /// <summary>As <see cref="AppendCounted{TState}"/>, a copy of <paramref name="bytes"/>.</summary>
    internal CountedPlace AppendCounted(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            bytes.CopyTo(ReserveCounted(bytes.Length, out var place));
            return place;
        }
    }

    /// <summary>
    /// Keeps the first <paramref name="length"/> bytes of <paramref name="bytes"/> as a block of their own, the array
    /// itself while the budget lasts (its owner never writes it again), and says where they are: a store of large
    /// records made elsewhere (the output paths' pool's blocks of 1 MiB) is not copied into blocks of its own first.
    /// </summary>
    internal Place AppendBlock(byte[] bytes, int length)
    {
        lock (_lock)
        {
            if (length == 0)
            {
                return default;
            }
            if (_used > 0)
            {
                Seal(0);
            }
            var place = new Place(_blocks.Count, 0, length);
            FileBlock(bytes, length);
            return place;
        }
    }

    /// <summary>
    /// Files the block being filled, so every record kept so far is in a block that never changes again (held, or in the
    /// file): one whose appends are over and whose readers may still be reading when more is kept later (a later
    /// append into the same block, or into its reused array once it is written out, would change what they read).
    /// </summary>
    internal void EndBlock()
    {
        lock (_lock)
        {
            if (_used > 0)
            {
                // Its records are read from where it is filed from now on, never from the array the next appends fill.
                Seal(0);
            }
        }
    }

    /// <summary>Room for a record of <paramref name="size"/> bytes after its length, at a 4-byte boundary (under the lock).</summary>
    private Span<byte> ReserveCounted(int size, out CountedPlace place)
    {
        var head = SevenBitCount.Size(size);
        // The padding goes before the record: a block that ends in records of one kind has no tail to skip.
        var pad = -_used & (CountedPlace.Alignment - 1);
        if (_used + pad + head + size > _current.Length)
        {
            Seal(head + size);
            pad = -_used & (CountedPlace.Alignment - 1);
        }
        _used += pad;
        var to = Reserve(head + size, out var at);
        SevenBitCount.Write(to, size);
        place = CountedPlace.At(at.Block, at.Offset);
        return to[head..];
    }

    /// <summary>The bytes kept at <paramref name="place"/> (as <see cref="Read(Place)"/>: a view of a block in memory, else a copy).</summary>
    internal ArraySegment<byte> Read(CountedPlace place) => Read(place, reader: null);

    private ArraySegment<byte> Read(CountedPlace place, InOrderReader? reader)
    {
        if (place.IsEmpty)
        {
            return ArraySegment<byte>.Empty;
        }
        lock (_lock)
        {
            var at = place.Offset;
            if (InMemory(place.Block, reader, out var blockLength) is { } bytes)
            {
                var size = SevenBitCount.Read(bytes, ref at);
                return new ArraySegment<byte>(bytes, at, size);
            }
            // Read on its own: its head first, most records whole in it; a longer one is read again at its length.
            var fileOffset = _blocks[place.Block].FileOffset + place.Offset;
            var head = new byte[Math.Min(CountedReadGuess, blockLength - place.Offset)];
            ReadFile(head, fileOffset);
            var start = 0;
            var length = SevenBitCount.Read(head, ref start);
            if (start + length <= head.Length)
            {
                return new ArraySegment<byte>(head, start, length);
            }
            var whole = new byte[length];
            ReadFile(whole, fileOffset + start);
            return whole;
        }
    }

    // What a counted record read on its own from the file is read with first: an outcome or a plan row fits.
    private const int CountedReadGuess = 256;

    /// <summary>
    /// Room for <paramref name="size"/> bytes at the current block's end (under the lock). A block of many records is
    /// 64 KB; a record larger than that gets a block of its own, of its size, so every offset fits in 16 bits.
    /// </summary>
    private Span<byte> Reserve(int size, out Place place)
    {
        if (size == 0)
        {
            place = default;
            return [];
        }
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
    internal ArraySegment<byte> Read(Place place) => Read(place, reader: null);

    /// <summary>
    /// As <see cref="Read(Place)"/>; a record in the file is served from <paramref name="reader"/>'s copy of its whole
    /// block, read once, when <paramref name="reader"/> is given.
    /// </summary>
    private ArraySegment<byte> Read(Place place, InOrderReader? reader)
    {
        lock (_lock)
        {
            if (place.IsEmpty)
            {
                return ArraySegment<byte>.Empty;
            }
            var bytes = InMemory(place.Block, reader, out var blockLength);
            var length = place.LengthIn(blockLength);
            if (bytes is not null)
            {
                return new ArraySegment<byte>(bytes, place.Offset, length);
            }
            var copy = new byte[length];
            ReadFile(copy, _blocks[place.Block].FileOffset + place.Offset);
            return copy;
        }
    }

    /// <summary>
    /// Copies the bytes of the record at <paramref name="place"/> from <paramref name="offset"/> on into
    /// <paramref name="to"/>, as many as fit and the record holds; how many. For a large record read a part at a time
    /// (a block of the output paths' pool, of which a lookup needs a few hundred bytes).
    /// </summary>
    internal int ReadPart(Place place, int offset, Span<byte> to)
    {
        lock (_lock)
        {
            if (place.IsEmpty)
            {
                return 0;
            }
            var bytes = InMemory(place.Block, reader: null, out var blockLength);
            var count = Math.Clamp(place.LengthIn(blockLength) - offset, 0, to.Length);
            if (count == 0)
            {
                return 0;
            }
            if (bytes is not null)
            {
                bytes.AsSpan(place.Offset + offset, count).CopyTo(to);
            }
            else
            {
                ReadFile(to[..count], _blocks[place.Block].FileOffset + place.Offset + offset);
            }
            return count;
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> over the record at <paramref name="place"/> from <paramref name="offset"/> on, in
    /// memory or in the file, where it was kept: for a store whose owner alone reads its records, never by a view, and
    /// keeps one place per record for good (a filed chunk of an array, changed again and again: filed anew each time, a
    /// hash index's chunks grew the file by their size at every change).
    /// </summary>
    internal void WritePart(Place place, int offset, ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            var blockLength = 0;
            var memory = place.IsEmpty ? null : InMemory(place.Block, reader: null, out blockLength);
            if (place.IsEmpty || offset < 0 || offset + bytes.Length > place.LengthIn(blockLength))
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"a write of {bytes.Length} bytes at {offset} is outside the scratch record");
            }
            if (memory is not null)
            {
                bytes.CopyTo(memory.AsSpan(place.Offset + offset));
                return;
            }
            RandomAccess.Write(_file!, bytes, _blocks[place.Block].FileOffset + place.Offset + offset);
        }
    }

    /// <summary>
    /// Block <paramref name="index"/>'s bytes where they are in memory (the block being filled, a block held, or
    /// <paramref name="reader"/>'s copy of one in the file, read whole once) and its length; null for a block in the file
    /// when no reader is given, whose records are read on their own (under the lock).
    /// </summary>
    private byte[]? InMemory(int index, InOrderReader? reader, out int length)
    {
        if (index == _blocks.Count)
        {
            length = _current.Length;
            return _current;
        }
        var block = _blocks[index];
        length = block.Length;
        if (block.Bytes is not null || reader is null)
        {
            return block.Bytes;
        }
        if (reader.Block != index)
        {
            if (reader.Bytes.Length < block.Length)
            {
                reader.Bytes = new byte[Math.Max(BlockBytes, block.Length)];
            }
            ReadFile(reader.Bytes.AsSpan(0, block.Length), block.FileOffset);
            reader.Block = index;
        }
        return reader.Bytes;
    }

    private void ReadFile(Span<byte> to, long at)
    {
        for (var done = 0; done < to.Length;)
        {
            var read = RandomAccess.Read(_file!, to[done..], at + done);
            if (read == 0)
            {
                throw new IOException($"the build's scratch file of {_purpose} ended early: something truncated it");
            }
            done += read;
        }
    }

    /// <summary>
    /// Every byte kept, a block at a time in the order kept: each block holds whole records end to end (a record never
    /// spans two), so a store of self-delimiting records reads them back without a place each. A block in the file is
    /// read into one buffer, valid until the next block is asked for. Once appending is over.
    /// </summary>
    internal IEnumerable<ReadOnlyMemory<byte>> InOrder()
    {
        byte[]? buffer = null;
        for (var i = 0; ; i++)
        {
            Block block;
            lock (_lock)
            {
                if (i > _blocks.Count)
                {
                    yield break;
                }
                if (i == _blocks.Count)
                {
                    block = new Block(_current, 0, _used);
                }
                else
                {
                    block = _blocks[i];
                }
            }
            if (block.Bytes is { } held)
            {
                yield return held.AsMemory(0, block.Length);
                continue;
            }
            if (buffer is null || buffer.Length < block.Length)
            {
                buffer = new byte[Math.Max(BlockBytes, block.Length)];
            }
            lock (_lock)
            {
                ReadFile(buffer.AsSpan(0, block.Length), block.FileOffset);
            }
            yield return buffer.AsMemory(0, block.Length);
        }
    }

    /// <summary>
    /// Reads records mostly in the order they were kept (a list read from its start to its end): a block in the file is
    /// read whole once, not a record at a time (a million small records were a million reads). One reader, one thread:
    /// what it returns is a view of its own copy, valid until its next read.
    /// </summary>
    internal sealed class InOrderReader(ScratchBlocks blocks)
    {
        internal int Block { get; set; } = -1;

        internal byte[] Bytes { get; set; } = [];

        internal ArraySegment<byte> Read(Place place) => blocks.Read(place, this);

        internal ArraySegment<byte> Read(CountedPlace place) => blocks.Read(place, this);
    }

    /// <summary>Files the current block (in memory while the budget lasts, else in the file) and starts one that holds <paramref name="nextSize"/>.</summary>
    private void Seal(int nextSize)
    {
        if (_used == 0)
        {
            _current = new byte[Math.Max(BlockBytes, nextSize)];
            return;
        }
        var written = FileBlock(_current, _used);
        // The array is reused only as a block of many records written out: a large record's block is its own size.
        _current = written && nextSize <= BlockBytes && _current.Length == BlockBytes ? _current : new byte[Math.Max(BlockBytes, nextSize)];
        _used = 0;
    }

    /// <summary>
    /// Files the first <paramref name="length"/> bytes of <paramref name="bytes"/> as the next block (under the lock):
    /// written to the file when the budget is spent, else kept as it is. Whether it was written (the array is then free).
    /// </summary>
    private bool FileBlock(byte[] bytes, int length)
    {
        var taken = _budget.TryTake(bytes.Length);
        if (!taken && Writable() is { } file)
        {
            try
            {
                RandomAccess.Write(file, bytes.AsSpan(0, length), _fileEnd);
                _blocks.Add(new Block(null, _fileEnd, length));
                _fileEnd += length;
                return true;
            }
            catch (IOException)
            {
                // A full disk: this block and the rest stay in memory (the build is bigger, not broken).
                _unusable = true;
            }
        }
        // Kept whole: its unused end is shorter than the record that did not fit. Counted even when the budget was spent
        // (no file could take it). Its length is what it holds, so reading the blocks in order ends where its records do.
        if (!taken)
        {
            _budget.Take(bytes.Length);
        }
        _blocks.Add(new Block(bytes, 0, length));
        return false;
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

    /// <summary>
    /// Where a record is, in 8 bytes (a build keeps one per output and per item): its block (28 bits), its offset in
    /// the block (16 bits), its length (20 bits; a record of a mebibyte or more is alone in its block, whose length is its own).
    /// </summary>
    internal readonly record struct Place
    {
        private const int OffsetBits = 16;
        private const int LengthBits = 20;
        private const uint WholeBlock = (1u << LengthBits) - 1;

        // Two halves, not a ulong: four-byte aligned, a place beside an int is 12 bytes, not 16.
        private readonly uint _blockAndOffset;
        private readonly uint _offsetAndLength;

        internal Place(int block, int offset, int length)
        {
            if ((uint)block >= 1u << 28 || (uint)offset >= 1u << OffsetBits || length < 0 || (length >= WholeBlock && offset != 0))
            {
                throw new InvalidOperationException($"a scratch record's place is out of range (block {block}, offset {offset}, length {length})");
            }
            var stored = (uint)Math.Min(length, WholeBlock);
            // Block in the high 28 bits of the first half, the offset split 4 + 12, the length in the low 20 of the second.
            _blockAndOffset = ((uint)block << 4) | ((uint)offset >> 12);
            _offsetAndLength = (((uint)offset & 0xFFF) << LengthBits) | stored;
            // A non-empty place is never all zeros: block 0, offset 0 has a length.
        }

        internal int Block => (int)(_blockAndOffset >> 4);

        internal int Offset => (int)(((_blockAndOffset & 0xF) << 12) | (_offsetAndLength >> LengthBits));

        /// <summary>Whether this is the place of an empty record (nothing kept).</summary>
        internal bool IsEmpty => _blockAndOffset == 0 && _offsetAndLength == 0;

        /// <summary>The record's length, in a block of <paramref name="blockLength"/> bytes.</summary>
        internal int LengthIn(int blockLength) => (_offsetAndLength & WholeBlock) == WholeBlock ? blockLength : (int)(_offsetAndLength & WholeBlock);
    }

    /// <summary>
    /// Where a record kept after its length is, in 4 bytes: its block (18 bits) and its offset in 4-byte steps (14
    /// bits), plus one, so that 0 is no record. 262,143 blocks of 64 KB: 16 GiB of one store's records (a build's
    /// outcomes are about 80 bytes each: 200 million outputs).
    /// </summary>
    internal readonly record struct CountedPlace
    {
        internal const int Alignment = 4;
        private const int OffsetBits = 14;
        private const int MaxBlocks = (1 << (32 - OffsetBits)) - 1;

        private readonly uint _value;

        private CountedPlace(uint value) => _value = value;

        /// <summary>Whether this is no record's place (the default).</summary>
        internal bool IsEmpty => _value == 0;

        internal int Block => (int)((_value - 1) >> OffsetBits);

        internal int Offset => (int)(((_value - 1) & ((1u << OffsetBits) - 1)) * Alignment);

        internal static CountedPlace At(int block, int offset)
        {
            if ((uint)block >= MaxBlocks || offset % Alignment != 0 || (uint)offset >= BlockBytes)
            {
                throw new InvalidOperationException($"a scratch store holds more than {(long)MaxBlocks * BlockBytes >> 30} GiB of records (block {block}, offset {offset}): split the build into shards (--shard)");
            }
            return new(((uint)block << OffsetBits | (uint)(offset / Alignment)) + 1);
        }
    }

    /// <summary>A filled block: its bytes, or (null) its offset in the file; and its length.</summary>
    private readonly record struct Block(byte[]? Bytes, long FileOffset, int Length);
}
