using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// The manifest's card records during one build, by <c>job:output</c>. Every record, read from the last manifest or set
/// in this build, is kept as its serialised JSON (about 2 KB, against 4–6 KB as an object graph the collector must keep
/// walking), in memory up to a budget and then in a scratch file (<see cref="RecordSpill"/>), and read back only when
/// asked for, so a large build's memory grows by a few dozen bytes per record.
/// </summary>
/// <remarks>
/// Keys are held once, as UTF-8, in a pool of their own (<see cref="Primitives.PathPool"/>), and the entries in an array
/// by the key's id. A concurrent dictionary of key strings to entry objects cost about 180 bytes a record (the key's
/// string, the dictionary's node and the entry), 180 MB of a million-item build's finish; this costs about 75. Past a
/// million records the entries' chunks, the keys' bytes and index, and the keys' order are filed in scratch blocks
/// too, so what is held no longer grows with the records.
/// </remarks>
internal sealed class RecordTable
{
    private readonly Primitives.PathPool _keys;
    private readonly Lock _lock = new();
    // Taken by Keep alone, around storing a record and taking its key's id.
    private readonly Lock _keepLock = new();
    // Counts changes, so an order made of the records is known to be current. Guarded by _lock.
    private int _version;
    // Taken before _lock, never after: one pass sorts, the others wait for its order.
    private readonly Lock _orderLock = new();
    private (int Version, IEnumerable<int>? Ids) _byKey;
    // Where the keys' order is kept past a mebi-key (made when first needed).
    private Primitives.ScratchBlocks? _orderStore;
    // Null ids: the records are walked in id order (below the length), which is their stored order but for a few.
    private (int Version, int[]? Ids, int Length) _byStore = (-1, null, 0);
    // The input-set ids the records name, each once (a site has a handful), and their indexes. Guarded by _lock; a
    // snapshot takes a copy.
    private readonly List<string> _inputs;
    private readonly Dictionary<string, int> _inputIndexes;
    // By key id; an entry without inputs is no record (never set, or removed). Guarded by _lock.
    private readonly Primitives.ChunkedArray<Entry> _entries;
    // A bit by key id: the record was set or removed since the changes were last taken (what a database manifest
    // saves; a bit a key, 750 KB at six million). Guarded by _lock; a snapshot has none of its own.
    private ulong[] _changed = [];

    // The entries' chunks held at most (16 MB).
    private const int DefaultEntryChunksHeld = 256;

    // Past this many keys, their order is sorted in runs filed in scratch blocks.
    private readonly int _keysSortedInMemory;

    private readonly RecordSpill _spill;

    // Shared with snapshots, guarded by itself: only ever grows, so a snapshot's answer is a superset of its own.
    private readonly Primitives.OutputFolderSet _folders;

    /// <param name="spill">Where the records are kept (the session owns and disposes it).</param>
    /// <param name="entryChunksHeld">The entries' chunks of 4,096 held at most (fewer only in tests).</param>
    /// <param name="keysSortedInMemory">The most keys whose order is sorted in memory; past it, in runs filed in scratch (fewer only in tests).</param>
    internal RecordTable(RecordSpill spill, int entryChunksHeld = DefaultEntryChunksHeld, int keysSortedInMemory = Primitives.SpilledPathOrder.DefaultRunLength)
    {
        _keysSortedInMemory = keysSortedInMemory;
        _keys = new();
        // The keys' bytes grow with the records (about 8 bytes a record): filed a block at a time, as the records are.
        _keys.KeepBlocksIn(spill.ScratchStore("record-keys"));
        (_inputs, _inputIndexes) = ([], new(StringComparer.Ordinal));
        _entries = new();
        // 16 bytes a record (64 MB at four million): past 256 chunks of 4,096 (a million records), the ones used lately
        // are held and the rest filed, shared with a checkpoint's snapshot where they are.
        _entries.KeepChunksIn(spill.ScratchStore("record-entries"), entryChunksHeld);
        _spill = spill;
        _folders = new();
    }

    private RecordTable(Primitives.PathPool keys, Primitives.ChunkedArray<Entry> entries, List<string> inputs, RecordSpill spill, Primitives.OutputFolderSet folders, int keysSortedInMemory)
    {
        _keysSortedInMemory = keysSortedInMemory;
        _keys = keys;
        _inputs = inputs;
        _inputIndexes = inputs.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i + 1, StringComparer.Ordinal);
        _entries = entries;
        _spill = spill;
        _folders = folders;
    }

    /// <summary>
    /// Makes room for the keys of <paramref name="records"/> records at once (a build expects a record per planned item):
    /// an index grown by doubling as a cold build sets its records held the old beside the new, and ended as much as
    /// twice the size it needs (26 MB at three million records, where 18 do).
    /// </summary>
    internal void Expect(int records) => _keys.Expect(records);

    /// <summary>
    /// The records as they stand now, unaffected by later changes: the entries are shared, and this table copies a chunk
    /// of 4,096 of them before it changes one in it (what they store never changes; a copy of every entry was 16 bytes a
    /// record at each checkpoint), the key pool shared (it only grows, and the copy knows no id past its own).
    /// </summary>
    internal RecordTable Snapshot()
    {
        lock (_lock)
        {
            return new(_keys, _entries.Share(), [.. _inputs], _spill, _folders, _keysSortedInMemory);
        }
    }

    /// <summary>
    /// Every folder the files of a record read or set this build are in, and perhaps folders of records removed since
    /// (what it serves, the stale-temp sweep, may look at a folder too many, never one too few). Gathered as the records
    /// come, so no pass over every record is needed for it: at a million records that pass read a million outlines.
    /// </summary>
    internal IReadOnlyList<string> OutputFolders()
    {
        lock (_folders)
        {
            return [.. _folders.Folders];
        }
    }

    internal bool TryGetValue(string key, [NotNullWhen(true)] out ItemRecord? record)
    {
        record = Find(key) is { } entry ? Read(entry) : null;
        return record is not null;
    }

    internal void Set(string key, ItemRecord record)
    {
        NoteFolders(record);
        Keep(key, RecordCheck.SealedJson(record), record.Inputs, changed: true);
    }

    /// <summary>
    /// Keeps a record read from the last manifest, serialised with its check as the reader made it (null: the key's
    /// record was damaged, and is dropped).
    /// </summary>
    internal void Load(string key, ItemRecord? record, byte[]? sealedJson)
    {
        if (record is null || sealedJson is null)
        {
            // Its row is removed at the next save, though no record was kept under it.
            int id;
            lock (_keepLock)
            {
                id = _keys.Add(key);
            }
            lock (_lock)
            {
                if (id < _entries.Length)
                {
                    _entries.Set(id, default);
                }
                MarkChanged(id);
                _version++;
            }
            return;
        }
        NoteFolders(record);
        Keep(key, sealedJson, record.Inputs, changed: false);
    }

    /// <summary>Drops every record (a manifest ignored after some of its records were read).</summary>
    internal void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _version++;
        }
        lock (_folders)
        {
            _folders.Clear();
        }
    }

    private void NoteFolders(ItemRecord record)
    {
        lock (_folders)
        {
            foreach (var variant in record.Variants)
            {
                _folders.AddFolderOf(variant.File);
            }
        }
    }

    private void Keep(string key, byte[] sealedJson, string inputs, bool changed)
    {
        RecordSpill.Stored stored;
        int id;
        // One keeper at a time (the spill writes one at a time anyway): a new key's id then follows the store's order,
        // so passes over the records walk ids in order without listing them (InStoredOrder).
        lock (_keepLock)
        {
            stored = _spill.Keep(sealedJson);
            id = _keys.Add(key);
        }
        lock (_lock)
        {
            var entry = new Entry(stored, InputsIndex(inputs));
            _entries.EnsureLength(id + 1);
            _entries.Set(id, entry);
            if (changed)
            {
                MarkChanged(id);
            }
            _version++;
        }
    }

    /// <summary>Notes that key <paramref name="id"/>'s record changed (under the lock).</summary>
    private void MarkChanged(int id)
    {
        if ((id >> 6) >= _changed.Length)
        {
            Array.Resize(ref _changed, Math.Max((id >> 6) + 1, _changed.Length * 2));
        }
        _changed[id >> 6] |= 1UL << (id & 63);
    }

    /// <summary>
    /// The keys whose records were set or removed since the changes were last taken, as a bit by key id, and starts
    /// anew. Taken before a <see cref="Snapshot"/> is made, so the snapshot holds every change taken (a change after
    /// the taking and before the snapshot is saved twice, never lost). A save that fails gives them back
    /// (<see cref="ReturnChanges"/>).
    /// </summary>
    internal ulong[] TakeChanges()
    {
        lock (_lock)
        {
            var taken = _changed;
            _changed = new ulong[taken.Length];
            return taken;
        }
    }

    /// <summary>Gives back changes taken and not saved (the save failed): the next save writes them too.</summary>
    internal void ReturnChanges(ulong[] changes)
    {
        lock (_lock)
        {
            if (_changed.Length < changes.Length)
            {
                Array.Resize(ref _changed, changes.Length);
            }
            for (var i = 0; i < changes.Length; i++)
            {
                _changed[i] |= changes[i];
            }
        }
    }

    /// <summary>
    /// Each key of <paramref name="changes"/> with its record as this table holds it, serialised (null: it has none,
    /// so its row goes): first the keys without a record, then the rest in the keys' ordinal order, which is the order
    /// a database's index takes them fastest.
    /// </summary>
    internal IEnumerable<(string Key, byte[]? SealedJson)> Changed(ulong[] changes)
    {
        var (present, removed) = (new List<int>(), new List<int>());
        for (var word = 0; word < changes.Length; word++)
        {
            for (var bits = changes[word]; bits != 0; bits &= bits - 1)
            {
                var id = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                (EntryOf(id) is null ? removed : present).Add(id);
            }
        }
        foreach (var id in removed)
        {
            yield return (_keys.PathOf(id), null);
        }
        // Few changes are sorted on their own; many are picked out of the keys' one shared order.
        IEnumerable<int> ordered;
        if (present.Count <= Math.Max(4096, _keys.Count / 16))
        {
            var ids = present.ToArray();
            _keys.Sort(ids);
            ordered = ids;
        }
        else
        {
            ordered = SortedIds().Where(id => (id >> 6) < changes.Length && (changes[id >> 6] & (1UL << (id & 63))) != 0);
        }
        foreach (var record in Serialised(ordered))
        {
            yield return record;
        }
    }

    /// <summary>Every record with its key, serialised, in the keys' ordinal order (a database written whole).</summary>
    internal IEnumerable<(string Key, byte[]? SealedJson)> Serialised() => Serialised(SortedIds());

    /// <summary>The records of <paramref name="ids"/> with their keys, serialised, in that order (ids without a record passed over).</summary>
    private IEnumerable<(string Key, byte[]? SealedJson)> Serialised(IEnumerable<int> ids)
    {
        foreach (var id in ids)
        {
            if (EntryOf(id) is { } entry)
            {
                yield return (_keys.PathOf(id), _spill.Read(entry.Stored).ToArray());
            }
        }
    }

    internal bool Remove(string key)
    {
        var id = _keys.Find(key);
        lock (_lock)
        {
            if (id < 0 || id >= _entries.Length || !_entries.Get(id).IsRecord)
            {
                return false;
            }
            _entries.Set(id, default);
            MarkChanged(id);
            _version++;
            return true;
        }
    }

    /// <summary>How many records the table holds (counted, without reading them).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return CountRecords();
            }
        }
    }

    /// <summary>How many entries hold a record (under the lock).</summary>
    private int CountRecords()
    {
        var count = 0;
        for (var id = 0; id < _entries.Length; id++)
        {
            count += _entries.Get(id).IsRecord ? 1 : 0;
        }
        return count;
    }

    /// <summary>Input-set ids the records name, without reading the records.</summary>
    internal HashSet<string> InputIds()
    {
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var id = 0; id < _entries.Length; id++)
            {
                if (_entries.Get(id) is { IsRecord: true } entry)
                {
                    inputs.Add(_inputs[entry.Inputs - 1]);
                }
            }
        }
        return inputs;
    }

    /// <summary>
    /// Every record, read one at a time (what is not kept is garbage at once), with its key; in no set order (records
    /// in the scratch file come in the order they were stored, which reads it from start to end).
    /// </summary>
    internal IEnumerable<(string Key, ItemRecord Record)> All()
    {
        foreach (var id in InStoredOrder())
        {
            if (EntryOf(id) is { } entry)
            {
                yield return (_keys.PathOf(id), Read(entry));
            }
        }
    }

    /// <summary>As <see cref="All"/>, each record's outline only (what a pass over every record reads).</summary>
    internal IEnumerable<(string Key, RecordOutline Outline)> Outlines()
    {
        foreach (var id in InStoredOrder())
        {
            if (EntryOf(id) is { } entry)
            {
                yield return (_keys.PathOf(id), ItemRecordReader.ReadOutline(_spill.Read(entry.Stored)));
            }
        }
    }

    /// <summary>
    /// The ids that hold a record in about the order they are stored, so a pass reads the scratch file from start to end:
    /// in id order when that is their stored order but for one record in a hundred or fewer (a cold build sets a record
    /// as it takes its key's id; a build that loaded the manifest stores the records it changes after the rest), with
    /// nothing listed (a list of every id, and offsets to sort it by, were 12 bytes a record at the start of the finish);
    /// else sorted by where they are stored, once for each state of the table, shared.
    /// </summary>
    private IEnumerable<int> InStoredOrder()
    {
        lock (_orderLock)
        {
            lock (_lock)
            {
                if (_byStore.Version == _version)
                {
                    return _byStore.Ids ?? IdsBelow(_byStore.Length);
                }
            }
            var (length, version, disorder) = StoredDisorder();
            if (disorder * 100L <= length)
            {
                _byStore = (version, null, length);
                return IdsBelow(length);
            }
            var (ids, offsets, at) = Present(withOffsets: true);
            Array.Sort(offsets, ids);
            _byStore = (at, ids, ids.Length);
            return ids;
        }
    }

    /// <summary>Whether a pass over every record walks the ids in order, listing none (for tests).</summary>
    internal bool WalksInIdOrder => InStoredOrder() is not int[];

    /// <summary>How many ids there are now, and how often a record in the file comes before the one of a lower id (held records are read from memory: their order does not matter).</summary>
    private (int Length, int Version, int Disorder) StoredDisorder()
    {
        lock (_lock)
        {
            var (disorder, last) = (0, -1L);
            for (var id = 0; id < _entries.Length; id++)
            {
                if (_entries.Get(id) is { IsRecord: true } entry && entry.Stored.Offset is >= 0 and var offset)
                {
                    disorder += offset < last ? 1 : 0;
                    last = offset;
                }
            }
            return (_entries.Length, _version, disorder);
        }
    }

    /// <summary>Ids 0 up to <paramref name="length"/>; those without a record are passed over by the reader.</summary>
    private static IEnumerable<int> IdsBelow(int length)
    {
        for (var id = 0; id < length; id++)
        {
            yield return id;
        }
    }

    /// <summary>
    /// The ids that hold a record in the keys' ordinal order (and perhaps ids of records removed, which the walks pass
    /// over); made once for each state of the table and shared, never changed. The finish makes several passes over
    /// every record at once (the manifest, images.json per job), and each sorted a million ids of its own. Past a
    /// mebi-key, every key's id sorted in runs kept in scratch blocks and merged as walked
    /// (<see cref="Primitives.SpilledPathOrder"/>): an array was 4 bytes a record through the finish.
    /// </summary>
    private IEnumerable<int> SortedIds()
    {
        lock (_orderLock)
        {
            lock (_lock)
            {
                if (_byKey.Ids is not null && _byKey.Version == _version)
                {
                    return _byKey.Ids;
                }
            }
            int version;
            lock (_lock)
            {
                version = _version;
            }
            var keys = _keys.Count;
            if (keys > _keysSortedInMemory)
            {
                // Ids past the count taken here are of keys added since, whose records a newer version's order names.
                _orderStore ??= _spill.ScratchStore("record-order");
                var spilled = Primitives.SpilledPathOrder.Make(_keys, _orderStore, 0, keys, _keysSortedInMemory);
                _byKey = (version, spilled);
                return spilled;
            }
            var (ids, _, at) = Present(withOffsets: false);
            _keys.Sort(ids);
            _byKey = (at, ids);
            return ids;
        }
    }

    /// <summary>The ids that hold a record, in id order, and (when asked) where each is stored in the scratch file; with the table's version they show.</summary>
    private (int[] Ids, long[] Offsets, int Version) Present(bool withOffsets)
    {
        lock (_lock)
        {
            var count = CountRecords();
            var (ids, offsets) = (new int[count], withOffsets ? new long[count] : []);
            var at = 0;
            for (var id = 0; id < _entries.Length; id++)
            {
                if (_entries.Get(id) is { IsRecord: true } entry)
                {
                    if (withOffsets)
                    {
                        offsets[at] = entry.Stored.Offset;
                    }
                    ids[at++] = id;
                }
            }
            return (ids, offsets, _version);
        }
    }

    /// <summary>One job's records ordered by output path (its keys are <c>job:output</c>), read one at a time; other jobs' records are not read.</summary>
    internal IEnumerable<ItemRecord> OfJob(string job)
    {
        // The keys' one shared order, the job's picked out of it: images.json asks once per job, and a sort of every key
        // per job was the jobs' count times the work.
        var prefix = System.Text.Encoding.UTF8.GetBytes(job + ":");
        var cursor = new Primitives.PathPool.Cursor();
        foreach (var id in SortedIds())
        {
            // A job name may itself hold ':', so the prefix only narrows; the record says whose it is.
            if (_keys.Utf8(id, cursor).StartsWith(prefix) && EntryOf(id) is { } entry && Read(entry) is var record && record.Job == job)
            {
                yield return record;
            }
        }
    }

    /// <summary>Writes every record as a JSON property, in the keys' ordinal order (a record held serialised is copied as it is).</summary>
    internal void WriteProperties(Utf8JsonWriter writer)
    {
        var cursor = new Primitives.PathPool.Cursor();
        foreach (var id in SortedIds())
        {
            if (EntryOf(id) is not { } entry)
            {
                continue;
            }
            var key = _keys.Utf8(id, cursor);
            // A key that is not UTF-8 (a lone surrogate the pool keeps as its own bytes) is refused by the writer as
            // the string it was.
            if (System.Text.Unicode.Utf8.IsValid(key))
            {
                writer.WritePropertyName(key);
            }
            else
            {
                writer.WritePropertyName(_keys.PathOf(id));
            }
            writer.WriteRawValue(_spill.Read(entry.Stored), skipInputValidation: true);
            if (writer.BytesPending > 1 << 16)
            {
                writer.Flush();
            }
        }
    }

    private Entry? Find(string key)
    {
        var id = _keys.Find(key);
        return id < 0 ? null : EntryOf(id);
    }

    private Entry? EntryOf(int id)
    {
        lock (_lock)
        {
            return id < _entries.Length && _entries.Get(id) is { IsRecord: true } entry ? entry : null;
        }
    }

    private ItemRecord Read(Entry entry) => ItemRecordReader.Read(_spill.Read(entry.Stored));

    /// <summary>The index + 1 of input-set id <paramref name="inputs"/> among those the records name (under the lock).</summary>
    private int InputsIndex(string inputs)
    {
        if (!_inputIndexes.TryGetValue(inputs, out var index))
        {
            _inputs.Add(inputs);
            index = _inputIndexes[inputs] = _inputs.Count;
        }
        return index;
    }

    /// <summary>
    /// A record, stored serialised, and the input set it names (read without the record) as its index + 1 among the
    /// table's; 0: no record (never set, or removed). 16 bytes, a million of them held to the build's end (and shared with
    /// each checkpoint's snapshot): the store's place is held as its two numbers, not as a <see cref="RecordSpill.Stored"/>,
    /// whose padding made an entry 24.
    /// </summary>
    private readonly struct Entry(RecordSpill.Stored stored, int inputs)
    {
        private readonly long _offset = stored.Offset;
        private readonly int _length = stored.Length;

        internal RecordSpill.Stored Stored => new(_offset, _length);

        internal int Inputs { get; } = inputs;

        internal bool IsRecord => Inputs != 0;
    }
}
