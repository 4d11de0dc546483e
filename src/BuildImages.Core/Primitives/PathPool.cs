namespace BuildImages.Core.Primitives;

/// <summary>
/// The output paths of one build, each held once as UTF-8 in large shared blocks and known by a number (its id, dense
/// from 0 in the order paths were first added). The output-time table, the outcome log and the up-to-date record all name
/// outputs: at a million items they held four million paths as strings, 290 MB at the build's end (72 bytes each);
/// here a path costs the bytes it does not share with the path added before it, and about 10 more. Adding is
/// thread-safe; reading a path whose id a thread holds needs no lock. Paths are never removed: a build adds each
/// output's at most once.
/// </summary>
/// <remarks>
/// <para>
/// Paths come in runs that share most of their bytes (a card's outputs, a folder's files, a stat cache's sorted names),
/// so each is stored as the length of the prefix it shares with the one added before it and the bytes after that; every
/// 16th is stored whole, so a path is rebuilt from at most 15 before it, and is compared with a given one from its end
/// back, without rebuilding it. At a million items (four million paths of about 22 bytes) the bytes went from 100 MB
/// to about 35.
/// </para>
/// <para>
/// Text is held exactly: a lone UTF-16 surrogate (which a template's string functions can make) is kept as its own
/// three bytes rather than replaced, so two paths are one id only when they are equal strings. Ids compare in ordinal
/// string order (UTF-16 code units, what <see cref="string.CompareOrdinal(string, string)"/> gives), the order the
/// report and the bookkeeping files list outputs in; ids added in that order (a stat cache's names, as loaded) compare
/// as numbers.
/// </para>
/// </remarks>
internal sealed class PathPool
{
    // Blocks of 1 MiB: the bytes never sit in one large array grown by copying. A place is the block's number and the
    // offset in it, in one int: 2,048 blocks (2 GiB of paths) at most.
    internal const int DefaultBlockBits = 20;

    // The slots of an index held whole (32 MB): a pool that files its blocks files an index larger than this (about
    // 5.5 million paths, 1.4 million items of four outputs), holding this many slots' worth of its chunks.
    internal const int DefaultHeldIndexSlots = 1 << 23;

    // A probe of a filed index reads this many entries at once (one read, not one per slot passed).
    private const int ProbeRun = 16;
    private const int MaxBlocks = 1 << (31 - DefaultBlockBits);

    // Every 16th id is stored whole.
    private const int RestartEvery = 16;

    // Smaller blocks only in tests (a build's pool that files its blocks, with a few of them).
    private readonly int _blockBits;
    private readonly int _blockSize;

    // Longest path held: a whole one and its two lengths fit one block.
    private int MaxPathBytes => _blockSize - 8;

    // A sort's group of ids smaller than this is ordered by comparing paths whole.
    private const int SmallSort = 64;

    // The bytes of a path one level of a sort keys on.
    private const int KeyBytes = 4;

    // A sort's group of more ids than this is split by a byte before its keys are made (their array is sized for this).
    private const int KeyedSortLimit = 1 << 20;

    private readonly Lock _lock = new();
    private readonly byte[]?[] _blocks = new byte[]?[MaxBlocks];
    private int _block = -1;
    private int _used;

    // The last path added, whole (under the lock): the next is stored as what it does not share with it.
    private byte[] _last = new byte[256];
    private int _lastLength;

    // By every 16th id (a restart, stored whole): where its entry is (the shared length, the rest's length, the rest).
    // The entries between two restarts follow each other in the blocks, so the ids between are found by walking from
    // the restart before them, which rebuilding a path does anyway: a place for every id was 16 MB at four million paths.
    // No hash is kept per id either: the index is rarely grown (a build sizes it once, Expect), and growing it hashes
    // the paths again.
    private int[] _restarts = new int[4];
    private int _count;

    // By block: where its last entry ends, set when the next block is begun (before any entry in it is stored). An
    // entry that ends there is followed by the next block's first; the current block has none (int.MaxValue).
    private readonly int[] _blockEnds = Enumerable.Repeat(int.MaxValue, MaxBlocks).ToArray();

    // Ids below this were added in ascending path order: two of them compare as numbers.
    private int _sorted;

    // Open addressing: id + 1 at the slot its hash picks, 0 for none; never more than two thirds full. Its size is any
    // number (the hash is scaled to it), not a power of two: at four million paths that is 24 MB, not 32. Above the id,
    // in the bits the table's size leaves free, the path's hash's low bits (bits the slot is not picked by): a probe
    // compares a path only when they match, so looking a path up reads about one stored path, not every one its probe
    // passes (each a read of a filed block). Seven bits at twelve million paths; a byte a slot beside was 18 MB there.
    // Empty while the index is filed (_filedIndex).
    private int[] _index = new int[96];

    // The index's size, held or filed.
    private int _slots = 96;

    // The index of a pool that files its blocks, once it has more slots than _heldIndexSlots: its chunks filed beside
    // the blocks, as many as that many slots held (the ones used lately), the others probed a run of entries at a time
    // where they are filed, and an entry written there alone. At four million items the outputs' index was 96 MB, and
    // grew by 6 bytes an output; filed, it is 32 MB at most.
    private ChunkedArray<int>? _filedIndex;
    // Where the filed index's chunks are: released (its memory given back to the budget) when a larger index replaces it.
    private ScratchBlocks? _filedIndexStore;
    private int _heldIndexSlots = DefaultHeldIndexSlots;

    // The low bits of an index entry that hold the id + 1 (the rest hold the hash's bits): enough for the table's size.
    private int _idBits = IdBitsFor(96);

    // Where a full block is filed when the next is begun (null: all stay in memory), and by block, where it was filed
    // (set before the block's array is dropped). At three million items the paths' bytes were 150 MB held to the end.
    private ScratchBlocks? _blockStore;
    private ScratchBlocks.Place[] _filed = [];

    // What a lookup (under the lock) reads a filed block's entries through.
    private readonly Window _lookupWindow = new();

    // Compare's two rebuilt paths, per thread (a sort calls it from one thread, a million times).
    [ThreadStatic]
    private static Cursor? t_first;

    [ThreadStatic]
    private static Cursor? t_second;

    internal PathPool()
        : this(DefaultBlockBits)
    {
    }

    /// <param name="blockBits">Blocks of 2^<paramref name="blockBits"/> bytes, at most the default's (1 MiB); smaller in tests.</param>
    internal PathPool(int blockBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBits, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockBits, DefaultBlockBits);
        (_blockBits, _blockSize) = (blockBits, 1 << blockBits);
        _used = _blockSize;
    }

    /// <summary>How many paths the pool holds.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>Ids below this were added in ascending path order (see <see cref="OrderedPathSet"/>).</summary>
    internal int Sorted => Volatile.Read(ref _sorted);

    /// <summary>The bytes the paths take in the blocks, the last one's unused end left out (for tests and benchmarks).</summary>
    internal long StoredBytes
    {
        get
        {
            lock (_lock)
            {
                return _block < 0 ? 0 : ((long)_block * _blockSize) + _used;
            }
        }
    }

    /// <summary>
    /// Files each block of paths in <paramref name="store"/> once the next is begun, keeping only the one being filled:
    /// the pool of a build's outputs, whose bytes grow with its items. A filed block's entries are read a window of a
    /// few kilobytes at a time, by the reader that needs them. Set before paths are added.
    /// </summary>
    /// <param name="store">Where the blocks are filed (and the index, in a sibling store, once it is larger than <paramref name="heldIndexSlots"/>).</param>
    /// <param name="heldIndexSlots">The index's slots held in memory at most (fewer only in tests).</param>
    internal void KeepBlocksIn(ScratchBlocks store, int heldIndexSlots = DefaultHeldIndexSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heldIndexSlots, 4096);
        lock (_lock)
        {
            (_blockStore, _filed, _heldIndexSlots) = (store, new ScratchBlocks.Place[MaxBlocks], heldIndexSlots);
        }
    }

    /// <summary>How many chunks of 4,096 slots of a filed index are held (for tests).</summary>
    internal int IndexChunksHeld
    {
        get
        {
            lock (_lock)
            {
                return _filedIndex?.ChunksHeld ?? -1;
            }
        }
    }

    /// <summary>Whether the index is filed, not held whole (for tests).</summary>
    internal bool FilesIndex
    {
        get
        {
            lock (_lock)
            {
                return _filedIndex is not null;
            }
        }
    }

    /// <summary>How many blocks of paths are held in memory (for tests: one when the pool files its blocks).</summary>
    internal int BlocksHeld
    {
        get
        {
            lock (_lock)
            {
                return _blocks.Count(block => block is not null);
            }
        }
    }

    /// <summary>Makes room for <paramref name="paths"/> paths at once (arrays grown by doubling hold the old beside the new).</summary>
    internal void Expect(int paths)
    {
        lock (_lock)
        {
            GrowIds(paths);
            var slots = IndexSizeFor(paths);
            if (slots > _slots)
            {
                Reindex(slots);
            }
        }
    }

    /// <summary>The id of <paramref name="path"/>, added if the pool does not hold it yet.</summary>
    internal int Add(ReadOnlySpan<char> path) => Look(path, add: true);

    /// <summary>The id of <paramref name="path"/>, or -1 when the pool does not hold it.</summary>
    internal int Find(ReadOnlySpan<char> path) => Look(path, add: false);

    /// <summary>Encodes <paramref name="path"/> (on the stack when it is short), then finds it, or adds it when <paramref name="add"/>.</summary>
    private int Look(ReadOnlySpan<char> path, bool add)
    {
        byte[]? rented = null;
        var buffer = path.Length <= 256 ? stackalloc byte[768] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(path.Length * 3));
        try
        {
            var utf8 = buffer[..Encode(path, buffer)];
            return add ? Add(utf8) : Find(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private int Add(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPathBytes)
        {
            throw new ArgumentException($"an output path of {utf8.Length} bytes is longer than any file system allows", nameof(utf8));
        }
        var hash = Hash(utf8);
        lock (_lock)
        {
            var slot = Slot(utf8, hash, out var held);
            if (held != 0)
            {
                return IdIn(held);
            }
            var id = _count;
            if (id == (long)_restarts.Length * RestartEvery)
            {
                GrowIds((int)Math.Min(Array.MaxLength, 2L * _restarts.Length * RestartEvery));
            }
            var last = _last.AsSpan(0, _lastLength);
            if (_sorted == id && (id == 0 || CompareUtf8(last, utf8) < 0))
            {
                Volatile.Write(ref _sorted, id + 1);
            }
            var place = Store(utf8, id % RestartEvery == 0 ? 0 : utf8.CommonPrefixLength(last));
            if (id % RestartEvery == 0)
            {
                _restarts[id / RestartEvery] = place;
            }
            Remember(utf8);
            SetEntry(slot, EntryOf(id, hash, _idBits));
            Volatile.Write(ref _count, id + 1);
            if ((long)_count * 3 > (long)_slots * 2)
            {
                Reindex(IndexSizeFor(_count * 2));
            }
            return id;
        }
    }

    private int Find(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        lock (_lock)
        {
            Slot(utf8, hash, out var held);
            return IdIn(held);
        }
    }

    /// <summary>Room for <paramref name="ids"/> ids' restarts (under the lock).</summary>
    private void GrowIds(int ids)
    {
        var restarts = (int)(((long)ids + RestartEvery - 1) / RestartEvery);
        if (restarts <= _restarts.Length)
        {
            return;
        }
        // Published last: a reader without the lock that sees the new array sees every place in it.
        var grown = new int[restarts];
        _restarts.AsSpan().CopyTo(grown);
        Volatile.Write(ref _restarts, grown);
    }

    /// <summary>
    /// The UTF-8 bytes of the path with id <paramref name="id"/> (what a JSON writer takes as a name), rebuilt in
    /// <paramref name="cursor"/>: valid until the cursor is used again. A cursor that read the id before, or one a little
    /// before it, rebuilds it from there (a pass in id order reads each entry once).
    /// </summary>
    internal ReadOnlySpan<byte> Utf8(int id, Cursor cursor)
    {
        if (cursor.Pool != this)
        {
            // What it read of another pool's blocks is not this one's.
            (cursor.Pool, cursor.Id, cursor.Window.Block) = (this, -1, -1);
        }
        if (cursor.Id == id)
        {
            return cursor.Bytes.AsSpan(0, cursor.Length);
        }
        var restart = id - (id % RestartEvery);
        var (from, length, place) = cursor.Id >= restart && cursor.Id < id
            ? (cursor.Id + 1, cursor.Length, Following(cursor.End))
            : (restart, 0, Volatile.Read(ref _restarts)[restart / RestartEvery]);
        int end;
        for (var k = from; ; k++, place = Following(end))
        {
            var (block, shared, at, rest, entryEnd) = EntryAt(place, cursor.Window);
            if (shared + rest > cursor.Bytes.Length)
            {
                Array.Resize(ref cursor.Bytes, Math.Max(shared + rest, cursor.Bytes.Length * 2));
            }
            block.AsSpan(at, rest).CopyTo(cursor.Bytes.AsSpan(shared));
            length = shared + rest;
            end = entryEnd;
            if (k == id)
            {
                break;
            }
        }
        (cursor.Id, cursor.Length, cursor.End) = (id, length, end);
        return cursor.Bytes.AsSpan(0, length);
    }

    /// <summary>The path with id <paramref name="id"/>, as a new string.</summary>
    internal string PathOf(int id) => TextOf(Utf8(id, t_first ??= new()));

    /// <summary>The text <see cref="Encode"/> wrote, as a new string.</summary>
    internal static string TextOf(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = utf8.Length <= 512 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        return new string(chars[..Decode(utf8, chars)]);
    }

    /// <summary>The paths' ordinal order (<see cref="string.CompareOrdinal(string, string)"/>), without making them.</summary>
    internal int Compare(int a, int b)
    {
        if (a == b)
        {
            return 0;
        }
        var sorted = Volatile.Read(ref _sorted);
        if (a < sorted && b < sorted)
        {
            return a.CompareTo(b);
        }
        return CompareUtf8(Utf8(a, t_first ??= new()), Utf8(b, t_second ??= new()));
    }

    // The ids past the sorted run in path order (see LatePathOrder), for the run's end and the count they were made at.
    // Its own lock: a sort of millions takes a while, and lookups (which take the pool's) go on meanwhile.
    private readonly Lock _lateOrderLock = new();
    private IEnumerable<int>? _lateOrder;
    private (int Run, int Count) _lateOrderOf;
    // Where an order of more than a run's ids is kept (null: in memory, as an array), and a run's length. Under _lateOrderLock.
    private ScratchBlocks? _orderStore;
    private int _orderRunLength = SpilledPathOrder.DefaultRunLength;

    /// <summary>
    /// Keeps the late paths' order (<see cref="LatePathOrder"/>) in <paramref name="store"/> when it holds more than
    /// <paramref name="runLength"/> ids: the pool of a build's outputs, whose cold finish walks every output in path order.
    /// </summary>
    internal void KeepOrdersIn(ScratchBlocks store, int runLength = SpilledPathOrder.DefaultRunLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 1);
        lock (_lateOrderLock)
        {
            (_orderStore, _orderRunLength) = (store, runLength);
        }
    }

    /// <summary>
    /// The ids from <paramref name="run"/> (a value <see cref="Sorted"/> had) to the pool's end, sorted by path: made once
    /// and shared while the pool holds the same ids, for whoever walks a set of ids in path order (<see cref="MergeWithRun"/>)
    /// and keeps only its own. At the finish of a million-item cold build three walks (the outcome log's, the up-to-date
    /// record's, the stat cache's output times) each listed and sorted their own 3.6 million ids at once: 48 MB each.
    /// An array, or a <see cref="SpilledPathOrder"/> past a run's length when the pool keeps its orders in scratch blocks
    /// (<see cref="KeepOrdersIn"/>).
    /// </summary>
    internal IEnumerable<int> LatePathOrder(int run)
    {
        lock (_lateOrderLock)
        {
            var count = Count;
            if (_lateOrder is null || _lateOrderOf != (run, count))
            {
                // The old order first: it is garbage before the new one is made.
                _lateOrder = null;
                _lateOrder = _orderStore is { } store && count - run > _orderRunLength
                    ? SpilledPathOrder.Make(this, store, run, count, _orderRunLength)
                    : SortedRange(run, count);
                _lateOrderOf = (run, count);
            }
            return _lateOrder;
        }
    }

    /// <summary>Ids <paramref name="from"/> up to <paramref name="to"/>, sorted by path (<see cref="Sort(Span{int})"/>).</summary>
    internal int[] SortedRange(int from, int to)
    {
        var ids = new int[Math.Max(0, to - from)];
        SortRange(ids, from);
        return ids;
    }

    /// <summary>Fills <paramref name="ids"/> with the ids from <paramref name="from"/> on, and sorts them by path.</summary>
    internal void SortRange(Span<int> ids, int from)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = from + i;
        }
        Sort(ids);
    }

    /// <summary>
    /// Sorts <paramref name="ids"/> by their paths (ordinal). Ids of the sorted run sort as numbers; a large set of
    /// others by 4 bytes of each path at a time, past the prefix they all share (each path rebuilt once a level, not
    /// once per comparison: a sort of four million by <see cref="Compare"/> rebuilt two paths for each of about 90
    /// million comparisons), each group that ties on them sorted again by the 4 bytes after, and small groups compared
    /// whole.
    /// </summary>
    /// <remarks>
    /// One key array of 4 bytes an id serves every level (a group's keys are read before its subgroups overwrite them),
    /// sized for the largest group sorted by keys: a group of more than 1,048,576 ids is first
    /// split in place by one byte of its paths (<see cref="SplitByByte"/>), so the keys of four million late paths are
    /// 4 MB, not 16 (32 at two million items, where that sort stood at the finish's peak). Keys of 8 bytes sorted in one
    /// level took 8 bytes an id, 29 MB at the finish of a million-item cold build.
    /// </remarks>
    internal void Sort(Span<int> ids) => Sort(ids, KeyedSortLimit);

    /// <summary>As <see cref="Sort(Span{int})"/>, groups of more than <paramref name="keyedLimit"/> ids split by a byte first (for tests).</summary>
    internal void Sort(Span<int> ids, int keyedLimit)
    {
        var run = Sorted;
        var inRun = true;
        foreach (var id in ids)
        {
            inRun &= id < run;
        }
        if (inRun)
        {
            ids.Sort();
            return;
        }
        if (ids.Length < SmallSort)
        {
            ids.Sort(Compare);
            return;
        }
        // One delegate for every small group: a method group made one per call, 180,000 of them (11 MB) in a million-item finish.
        Comparison<int> compare = Compare;
        var cursor = new Cursor();
        uint[]? keys = null;
        var groups = new Stack<(int Start, int Length, int From)>();
        groups.Push((0, ids.Length, CommonPrefix(ids, 0, cursor)));
        while (groups.TryPop(out var group))
        {
            var members = ids.Slice(group.Start, group.Length);
            if (group.From < 0)
            {
                members.Sort(compare);
                continue;
            }
            if (group.Length > keyedLimit && SplitByByte(members, group.From, cursor) is { } split)
            {
                foreach (var (start, length, whole) in split)
                {
                    if (length > 1)
                    {
                        // A part whose paths end at this byte (or hold a NUL there) is compared whole; the others go
                        // on past it, and past all they still share.
                        groups.Push(whole ? (group.Start + start, length, -1) : (group.Start + start, length, CommonPrefix(ids.Slice(group.Start + start, length), group.From + 1, cursor)));
                    }
                }
                continue;
            }
            keys ??= new uint[Math.Min(ids.Length, Math.Max(keyedLimit, SmallSort))];
            if (keys.Length < group.Length)
            {
                // A group the byte could not split (characters whose bytes are out of their strings' order): keys for it all.
                keys = new uint[group.Length];
            }
            var memberKeys = keys.AsSpan(0, group.Length);
            if (group.Length < SmallSort || !KeysAt(members, memberKeys, group.From, cursor))
            {
                members.Sort(compare);
                continue;
            }
            memberKeys.Sort(members);
            if (memberKeys[0] == memberKeys[^1])
            {
                // All tie: skip what they all share. Paths that still tie past it (only a path and that path with NUL
                // characters after it could) are compared whole.
                var from = CommonPrefix(members, group.From, cursor);
                if (from > group.From)
                {
                    groups.Push((group.Start, group.Length, from));
                }
                else
                {
                    members.Sort(compare);
                }
                continue;
            }
            for (var start = 0; start < members.Length;)
            {
                var end = start + 1;
                while (end < members.Length && memberKeys[end] == memberKeys[start])
                {
                    end++;
                }
                if (end - start > 1)
                {
                    groups.Push((group.Start + start, end - start, group.From + KeyBytes));
                }
                start = end;
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="ids"/> in the order of their paths' byte at <paramref name="at"/> (0 past a path's end), in
    /// place: each id's byte read once to count and once as it is moved (an American flag sort's pass), no array beside.
    /// The parts, in order: where each starts, how long, and whether its paths must be compared whole (byte 0: a path
    /// that ends there ties with one that holds a NUL). Null, ids untouched, when the bytes there are not in their
    /// strings' order (see <see cref="CompareUtf8"/>).
    /// </summary>
    private List<(int Start, int Length, bool Whole)>? SplitByByte(Span<int> ids, int at, Cursor cursor)
    {
        Span<int> counts = stackalloc int[256];
        counts.Clear();
        foreach (var id in ids)
        {
            counts[ByteAt(id, at, cursor)]++;
        }
        var (high, middle) = (false, false);
        for (var b = 0xED; b < 0x100; b++)
        {
            high |= b >= 0xF0 && counts[b] > 0;
            middle |= b < 0xF0 && counts[b] > 0;
        }
        if (high && middle)
        {
            return null;
        }
        Span<int> next = stackalloc int[256];
        Span<int> ends = stackalloc int[256];
        var parts = new List<(int Start, int Length, bool Whole)>();
        for (int b = 0, start = 0; b < 256; start += counts[b], b++)
        {
            (next[b], ends[b]) = (start, start + counts[b]);
            if (counts[b] > 0)
            {
                parts.Add((start, counts[b], b == 0));
            }
        }
        for (var b = 0; b < 256; b++)
        {
            while (next[b] < ends[b])
            {
                var id = ids[next[b]];
                var value = ByteAt(id, at, cursor);
                if (value == b)
                {
                    next[b]++;
                }
                else
                {
                    // Into its own part; what was there comes here and is looked at next.
                    (ids[next[b]], ids[next[value]]) = (ids[next[value]], id);
                    next[value]++;
                }
            }
        }
        return parts;
    }

    private byte ByteAt(int id, int at, Cursor cursor)
    {
        var path = Utf8(id, cursor);
        return at < path.Length ? path[at] : (byte)0;
    }

    /// <summary>The length of the prefix the paths of <paramref name="ids"/> share, known to be at least <paramref name="from"/>.</summary>
    private int CommonPrefix(Span<int> ids, int from, Cursor cursor)
    {
        var first = Utf8(ids[0], cursor).ToArray();
        var common = first.Length;
        foreach (var id in ids)
        {
            var path = Utf8(id, cursor);
            if (path.Length < from || common < from)
            {
                // A path that ended within the bytes the group tied on (past its end they read as NUL).
                return from;
            }
            common = from + path[from..].CommonPrefixLength(first.AsSpan(from, common - from));
        }
        return common;
    }

    /// <summary>
    /// Sets each id's key, the <see cref="KeyBytes"/> bytes of its path from <paramref name="from"/> (past its end 0: a
    /// path sorts before the longer ones it starts, ties compared later); false when the keys cannot order the ids.
    /// </summary>
    private bool KeysAt(Span<int> ids, Span<uint> keys, int from, Cursor cursor)
    {
        var (high, middle) = (false, false);
        for (var i = 0; i < ids.Length; i++)
        {
            var path = Utf8(ids[i], cursor);
            var key = 0u;
            for (var b = from; b < from + KeyBytes; b++)
            {
                var value = b < path.Length ? path[b] : (byte)0;
                key = (key << 8) | value;
                high |= value >= 0xF0;
                middle |= value is >= 0xED and < 0xF0;
            }
            keys[i] = key;
        }
        // Characters above U+FFFF and from U+D000 up: their bytes are not in their strings' order (see CompareUtf8).
        return !(high && middle);
    }

    /// <summary>
    /// Ids in path order: <paramref name="inRun"/> (ids below <paramref name="run"/>, a value <see cref="Sorted"/> had,
    /// ascending) with <paramref name="late"/> (ids past it, sorted by <see cref="Sort(Span{int})"/>) merged in, each placed by a
    /// binary search of the run (<see cref="FirstOfRunAfter"/>), not by a comparison per id of the run.
    /// </summary>
    internal IEnumerable<int> MergeWithRun(IEnumerable<int> inRun, IEnumerable<int> late, int run)
    {
        using var lateIds = late.GetEnumerator();
        var pending = lateIds.MoveNext();
        var until = pending ? FirstOfRunAfter(lateIds.Current, run) : run;
        foreach (var id in inRun)
        {
            while (id >= until)
            {
                yield return lateIds.Current;
                pending = lateIds.MoveNext();
                until = pending ? FirstOfRunAfter(lateIds.Current, run) : run;
            }
            yield return id;
        }
        for (; pending; pending = lateIds.MoveNext())
        {
            yield return lateIds.Current;
        }
    }

    /// <summary>
    /// The first id of the pool's sorted run (ids below <paramref name="sorted"/>, a value <see cref="Sorted"/> had) whose
    /// path comes after <paramref name="id"/>'s; <paramref name="sorted"/> when none does. A binary search: a merge of a
    /// few ids out of order into the run compares each about 22 times at four million, not once per id of the run.
    /// </summary>
    private int FirstOfRunAfter(int id, int sorted)
    {
        var (low, high) = (0, sorted);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (Compare(middle, id) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>Two paths' bytes (as <see cref="Encode"/> writes them) in their strings' ordinal order.</summary>
    internal static int CompareUtf8(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var same = x.CommonPrefixLength(y);
        if (same == x.Length || same == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }
        // The first byte that differs starts the same character in both or lies within it. UTF-8's byte order is then
        // code point order, which is UTF-16's except where a character above U+FFFF (a surrogate pair, lead byte F0-F4)
        // meets one from U+D000 up (lead ED-EF: U+E000-U+FFFF, or a lone surrogate): only there are the strings compared.
        var (p, q) = (x[same], y[same]);
        if ((p >= 0xF0 && q >= 0xED) || (q >= 0xF0 && p >= 0xED))
        {
            return string.CompareOrdinal(TextOf(x), TextOf(y));
        }
        return p.CompareTo(q);
    }

    private static int IndexSizeFor(int paths) => OpenSlots.SizeFor(paths, 96);

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // Seeded per process: nobody can pick paths that all land in one slot.
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    /// <summary>
    /// The slot that holds <paramref name="utf8"/>, or the empty slot where it would go, and its entry (0: empty) (under
    /// the lock).
    /// </summary>
    private int Slot(ReadOnlySpan<byte> utf8, int hash, out int held)
    {
        var slots = _slots;
        var hashBits = EntryOf(-1, hash, _idBits);
        if (_filedIndex is { } filed)
        {
            Span<int> run = stackalloc int[ProbeRun];
            for (var slot = OpenSlots.First(hash, slots); ;)
            {
                var count = filed.Peek(slot, run[..Math.Min(ProbeRun, slots - slot)]);
                for (var k = 0; k < count; k++)
                {
                    held = run[k];
                    if (held == 0 || ((held ^ hashBits) >>> _idBits == 0 && Holds(IdIn(held), utf8)))
                    {
                        return slot + k;
                    }
                }
                slot = slot + count == slots ? 0 : slot + count;
            }
        }
        for (var slot = OpenSlots.First(hash, slots); ; slot = OpenSlots.Next(slot, slots))
        {
            held = _index[slot];
            if (held == 0 || ((held ^ hashBits) >>> _idBits == 0 && Holds(IdIn(held), utf8)))
            {
                return slot;
            }
        }
    }

    // Sets an index entry, held or filed (under the lock).
    private void SetEntry(int slot, int entry)
    {
        if (_filedIndex is { } filed)
        {
            filed.Poke(slot, entry);
        }
        else
        {
            _index[slot] = entry;
        }
    }

    /// <summary>
    /// Whether the path with id <paramref name="id"/> is <paramref name="utf8"/>: its bytes checked from the end back,
    /// each entry's own, down to the entry that holds the first byte still toCheck (a mismatch stops at once).
    /// </summary>
    private bool Holds(int id, ReadOnlySpan<byte> utf8)
    {
        // The places of the entries from the restart to the id, found by walking their lengths only.
        Span<int> places = stackalloc int[RestartEvery];
        var restart = id - (id % RestartEvery);
        places[0] = _restarts[restart / RestartEvery];
        var window = _lookupWindow;
        for (var k = 1; k <= id - restart; k++)
        {
            places[k] = Following(EntryAt(places[k - 1], window).End);
        }
        var (block, shared, at, rest, _) = EntryAt(places[id - restart], window);
        if (shared + rest != utf8.Length)
        {
            return false;
        }
        // Bytes [0, toCheck) are still to compare; an entry's own bytes are [shared, shared + rest) of its path, and
        // its first shared bytes are the entry before's.
        var toCheck = utf8.Length;
        for (var k = id; ; (block, shared, at, rest, _) = EntryAt(places[--k - restart], window))
        {
            if (toCheck > shared)
            {
                if (!block.AsSpan(at, toCheck - shared).SequenceEqual(utf8[shared..toCheck]))
                {
                    return false;
                }
                toCheck = shared;
            }
            if (toCheck == 0)
            {
                return true;
            }
        }
    }

    private void Reindex(int slots)
    {
        var idBits = IdBitsFor(slots);
        var cursor = new Cursor();
        if (_blockStore is not null && slots > _heldIndexSlots)
        {
            // Filed: the old index (held or filed) is dropped once every id is in the new one.
            var filed = new ChunkedArray<int>();
            var store = _blockStore.Sibling("path-index");
            // Filing first: chunks made by EnsureLength before it would all be held, then filed as zeros.
            filed.KeepChunksIn(store, Math.Max(1, _heldIndexSlots >> 12));
            filed.EnsureLength(slots);
            Span<int> run = stackalloc int[ProbeRun];
            for (var id = 0; id < _count; id++)
            {
                var hash = Hash(Utf8(id, cursor));
                for (var slot = OpenSlots.First(hash, slots); ;)
                {
                    var count = filed.Peek(slot, run[..Math.Min(ProbeRun, slots - slot)]);
                    var empty = run[..count].IndexOf(0);
                    if (empty >= 0)
                    {
                        filed.Poke(slot + empty, EntryOf(id, hash, idBits));
                        break;
                    }
                    slot = slot + count == slots ? 0 : slot + count;
                }
            }
            // Every lookup is under the lock: nothing reads the old index after this.
            _filedIndexStore?.Release();
            (_index, _filedIndex, _filedIndexStore, _slots, _idBits) = ([], filed, store, slots, idBits);
            return;
        }
        var index = new int[slots];
        for (var id = 0; id < _count; id++)
        {
            var hash = Hash(Utf8(id, cursor));
            var slot = OpenSlots.First(hash, slots);
            while (index[slot] != 0)
            {
                slot = OpenSlots.Next(slot, slots);
            }
            index[slot] = EntryOf(id, hash, idBits);
        }
        (_index, _slots, _idBits) = (index, slots, idBits);
    }

    // Bits that hold any id + 1 a table of this many slots holds (fewer ids than slots: it is never full); 31 at most,
    // as an array has fewer than 2^31 slots, so at least one bit of hash.
    private static int IdBitsFor(int slots) => 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)slots);

    // An index entry: id + 1 in the low idBits bits, the hash's low bits above (OpenSlots.First scales the hash by its
    // high bits, so these say something the slot does not).
    private static int EntryOf(int id, int hash, int idBits) => (int)(((uint)hash << idBits) | (uint)(id + 1));

    // The id an index entry holds (-1 for an empty slot).
    private int IdIn(int entry) => (int)((uint)entry & (uint)((1L << _idBits) - 1)) - 1;

    /// <summary>
    /// The place of the entry after the one that ends at <paramref name="end"/> (a block's number and an offset in it, as
    /// a place is): there, or the next block's start when its block ended there. Only for an entry the pool holds.
    /// </summary>
    private int Following(int end)
    {
        // An entry that fills its block to the byte ends at the next block's start, where the next entry is.
        var block = end >> _blockBits;
        return (end & (_blockSize - 1)) == Volatile.Read(ref _blockEnds[block]) ? (block + 1) << _blockBits : end;
    }

    /// <summary>Where an entry at <paramref name="place"/> whose bytes end at <paramref name="offset"/> of its block ends, as a place (the next block's start when it fills its own; past the last block only for an entry never followed).</summary>
    private int EndOf(int place, int offset) => unchecked((place & ~(_blockSize - 1)) + offset);

    /// <summary>
    /// An entry: bytes that hold it (its block, or <paramref name="window"/>'s part of it when the block is filed), the
    /// length it shares with the path before, where its own bytes start in those bytes and how many, and where it ends
    /// (a place: its block's number and the offset in it).
    /// </summary>
    private (byte[] Bytes, int Shared, int At, int Own, int End) EntryAt(int place, Window window)
    {
        var number = place >> _blockBits;
        var offset = place & (_blockSize - 1);
        if (Volatile.Read(ref _blocks[number]) is { } block)
        {
            return EntryIn(block, 0, place, offset);
        }
        // Filed: read through the window, filled again where the entry is when it does not hold its head or its bytes.
        if (!window.Holds(number, offset, MaxEntryHead))
        {
            Fill(window, number, offset, 0);
        }
        var entry = EntryIn(window.Bytes, window.Start, place, offset);
        var length = window.Start + entry.At + entry.Own - offset;
        if (!window.Holds(number, offset, length))
        {
            Fill(window, number, offset, length);
            entry = EntryIn(window.Bytes, window.Start, place, offset);
        }
        return entry;
    }

    // The entry at offset of its block (at place) in bytes that hold that block from start on.
    private (byte[] Bytes, int Shared, int At, int Own, int End) EntryIn(byte[] bytes, int start, int place, int offset)
    {
        var at = offset - start;
        var shared = SevenBitCount.Read(bytes, ref at);
        var rest = SevenBitCount.Read(bytes, ref at);
        return (bytes, shared, at, rest, EndOf(place, start + at + rest));
    }

    // An entry's two lengths take at most this many bytes (two counts of at most 5 bytes each).
    private const int MaxEntryHead = 10;

    // What a window reads of a filed block at once: after a jump, enough for the entries from a restart to the id asked
    // for; read on from where it ended, twice what it read before, up to the most (a pass in id order reads a block in
    // about 20 reads, a path looked up out of order costs one small read, not 64 KB copied).
    private const int FirstWindowBytes = 1024;
    private const int MostWindowBytes = 64 * 1024;

    /// <summary>
    /// Reads filed block <paramref name="number"/> from <paramref name="offset"/> into <paramref name="window"/>, at least
    /// <paramref name="least"/> bytes or up to the block's end.
    /// </summary>
    private void Fill(Window window, int number, int offset, int least)
    {
        var onward = window.Block == number && offset == window.Start + window.Length;
        var size = Math.Max(least, onward ? Math.Min(MostWindowBytes, Math.Max(FirstWindowBytes, window.Length * 2)) : FirstWindowBytes);
        if (window.Bytes.Length < size)
        {
            window.Bytes = new byte[Math.Max(size, Math.Min(MostWindowBytes, window.Bytes.Length * 2))];
        }
        var read = _blockStore!.ReadPart(_filed[number], offset, window.Bytes.AsSpan(0, size));
        (window.Block, window.Start, window.Length, window.ToBlockEnd) = (number, offset, read, read < size);
    }

    /// <summary>
    /// Writes an entry into the current block (a new one when it is full): the <paramref name="shared"/> length, the
    /// length of the rest, the rest. Its place.
    /// </summary>
    private int Store(ReadOnlySpan<byte> utf8, int shared)
    {
        var rest = utf8[shared..];
        var need = SevenBitCount.Size(shared) + SevenBitCount.Size(rest.Length) + rest.Length;
        if (_used + need > _blockSize)
        {
            if (_block + 1 == MaxBlocks)
            {
                throw new InvalidOperationException("more output paths than one build can hold (2 GiB of them)");
            }
            if (_block >= 0)
            {
                // Before any entry of the next block is stored, so a reader that walks to one sees where this one ended.
                Volatile.Write(ref _blockEnds[_block], _used);
                FileBlock(_block);
            }
            _blocks[++_block] = new byte[_blockSize];
            _used = 0;
        }
        var block = _blocks[_block]!;
        var place = (_block << _blockBits) | _used;
        var at = _used;
        at += SevenBitCount.Write(block.AsSpan(at), shared);
        at += SevenBitCount.Write(block.AsSpan(at), rest.Length);
        rest.CopyTo(block.AsSpan(at));
        _used = at + rest.Length;
        return place;
    }

    /// <summary>
    /// Files full block <paramref name="number"/> in the block store, when there is one (under the lock). Its place is
    /// set before its array is dropped: a reader that no longer sees the array finds the place. A reader that still
    /// holds the array reads it as before (it is never reused).
    /// </summary>
    private void FileBlock(int number)
    {
        if (_blockStore is not { } store)
        {
            return;
        }
        _filed[number] = store.AppendBlock(_blocks[number]!, _blockEnds[number]);
        Volatile.Write(ref _blocks[number], null);
    }

    private void Remember(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _last.Length)
        {
            _last = new byte[Math.Max(utf8.Length, _last.Length * 2)];
        }
        utf8.CopyTo(_last);
        _lastLength = utf8.Length;
    }

    /// <summary>Where a path is rebuilt (see <see cref="Utf8(int, Cursor)"/>); one per reader, never shared between threads.</summary>
    internal sealed class Cursor
    {
        internal byte[] Bytes = new byte[256];
        internal int Length;
        internal int Id = -1;
        internal PathPool? Pool;

        // Where the entry of Id ends (a block's number and an offset): the next id's entry is found from it.
        internal int End;

        // The part of a filed block this reader read last.
        internal readonly Window Window = new();
    }

    /// <summary>Bytes of a filed block a reader holds: block <see cref="Block"/>'s from <see cref="Start"/>, <see cref="Length"/> of them. One reader's.</summary>
    internal sealed class Window
    {
        internal byte[] Bytes = [];
        internal int Block = -1;
        internal int Start;
        internal int Length;

        // Whether the bytes reach the block's end (it has no more past them).
        internal bool ToBlockEnd;

        /// <summary>Whether the window holds <paramref name="count"/> bytes of block <paramref name="block"/> from <paramref name="offset"/> (or all the block has from there).</summary>
        internal bool Holds(int block, int offset, int count) =>
            Block == block && offset >= Start && (offset + count <= Start + Length || (ToBlockEnd && offset < Start + Length));
    }

    /// <summary>
    /// UTF-8, except that a lone surrogate is written as the three bytes its code unit would take (as WTF-8 does)
    /// instead of being replaced: the pool must tell every two strings apart. Valid text gives the same bytes as UTF-8.
    /// </summary>
    internal static int Encode(ReadOnlySpan<char> text, Span<byte> to)
    {
        var at = 0;
        for (var i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                to[at++] = (byte)c;
            }
            else if (c < 0x800)
            {
                to[at++] = (byte)(0xC0 | (c >> 6));
                to[at++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate((char)c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var point = char.ConvertToUtf32((char)c, text[++i]);
                to[at++] = (byte)(0xF0 | (point >> 18));
                to[at++] = (byte)(0x80 | ((point >> 12) & 0x3F));
                to[at++] = (byte)(0x80 | ((point >> 6) & 0x3F));
                to[at++] = (byte)(0x80 | (point & 0x3F));
            }
            else
            {
                to[at++] = (byte)(0xE0 | (c >> 12));
                to[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                to[at++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    /// <summary>The text <see cref="Encode"/> wrote (or valid UTF-8 a reader gave).</summary>
    internal static int Decode(ReadOnlySpan<byte> utf8, Span<char> to)
    {
        var at = 0;
        for (var i = 0; i < utf8.Length;)
        {
            int b = utf8[i];
            if (b < 0x80)
            {
                to[at++] = (char)b;
                i++;
            }
            else if (b < 0xE0)
            {
                to[at++] = (char)(((b & 0x1F) << 6) | (utf8[i + 1] & 0x3F));
                i += 2;
            }
            else if (b < 0xF0)
            {
                to[at++] = (char)(((b & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F));
                i += 3;
            }
            else
            {
                var point = ((b & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) | (utf8[i + 3] & 0x3F);
                point -= 0x10000;
                to[at++] = (char)(0xD800 + (point >> 10));
                to[at++] = (char)(0xDC00 + (point & 0x3FF));
                i += 4;
            }
        }
        return at;
    }
}
