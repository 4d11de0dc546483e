using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BuildImages.Core.Data;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Planning;

/// <summary>
/// A plan's items, in plan order. A card planned from a data file with its fields in a <see cref="FieldStore"/> is held
/// as a record in scratch blocks (its pre-key's 32 bytes, its data file, line and field place, then its id and output
/// stem as UTF-8), with what its job's cards share (job, template, size, variant shapes, namer) held once as a
/// <see cref="CardLook"/>; any other item (a photo, a hook's card) is held as given. The list itself holds a place of 4
/// bytes an item (<see cref="ScratchBlocks.CountedPlace"/>). Each read of a record makes a new <see cref="PlannedCard"/>, equal in value to the one planned: the
/// plan lives to the build's end, and as objects (the card, its data item, its stored fields, its id and stem) a million
/// cards were about 310 MB of it; as rows of 64 bytes with their text in memory, 88 MB of a million-item build's finish
/// (a heap dump), which the blocks now hold in memory only while the build's scratch budget lasts.
/// </summary>
/// <remarks>
/// A reader that keeps an item (a work list, a duplicate's owner) keeps the object it read, and compares by that
/// object; two reads of one record are equal cards, not the same object. Adding is for the planner alone; once planned,
/// the list is read from any thread. A filtered list (<see cref="Where"/>) shares the blocks, the looks and the held items.
/// </remarks>
internal sealed class PlannedItemList : IReadOnlyList<PlannedItem>
{
    private static readonly int RowBytes = Unsafe.SizeOf<Row>();

    private readonly Shared _shared;

    // By item: where its record is in the shared blocks.
    private readonly ChunkedArray<ScratchBlocks.CountedPlace> _places = new();
    private int _count;
    private long _outputs;

    /// <param name="rows">
    /// Where the cards' records go (a batch build's, beside its manifest, in memory up to the build's scratch budget);
    /// null keeps them in memory.
    /// </param>
    /// <param name="mostChunksHeld">With <paramref name="rows"/>, the chunks of places (4,096 items' each) held before the rest are filed.</param>
    internal PlannedItemList(ScratchBlocks? rows = null, int mostChunksHeld = DefaultChunksHeld)
        : this(new Shared(rows ?? new ScratchBlocks(null, "plan", new ScratchBudget(long.MaxValue))) { ChunksHeld = rows is null ? 0 : mostChunksHeld })
    {
    }

    private PlannedItemList(Shared shared)
    {
        _shared = shared;
        if (shared.ChunksHeld > 0)
        {
            // A place per item (12 MB at three million) held only for the items in use lately, the rest filed beside the rows.
            _places.KeepChunksIn(shared.Rows.Sibling("plan-places"), shared.ChunksHeld);
        }
    }

    /// <summary>The chunks of places held at once when the rest are filed (items are read in about their order).</summary>
    internal const int DefaultChunksHeld = 64;

    public int Count => _count;

    /// <summary>How many outputs the items have (counted as they are added).</summary>
    internal int OutputCount => checked((int)_outputs);

    public PlannedItem this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return Make(_shared.Rows.Read(_places.Get(index)));
        }
    }

    /// <summary>A list of <paramref name="items"/>: the list itself when it is one, else one holding each as given.</summary>
    internal static PlannedItemList Of(IReadOnlyList<PlannedItem> items)
    {
        if (items is PlannedItemList list)
        {
            return list;
        }
        var held = new PlannedItemList();
        foreach (var item in items)
        {
            held.Add(item);
        }
        return held;
    }

    /// <summary>The items <paramref name="keep"/> keeps (given each item and its index): a new list when it drops any.</summary>
    internal static IReadOnlyList<PlannedItem> Filter(IReadOnlyList<PlannedItem> items, Func<PlannedItem, int, bool> keep) =>
        items is PlannedItemList list ? list.Where(keep) : items.Where(keep).ToList();

    /// <summary>Starts a kind of card that rows share; its index is what <see cref="AddCard"/> takes.</summary>
    internal int AddLook(CardLook look)
    {
        _shared.Looks.Add(look);
        return _shared.Looks.Count - 1;
    }

    /// <summary>Adds an item held as given.</summary>
    internal void Add(PlannedItem item)
    {
        _shared.Held.Add(item);
        var row = new Row { Look = -1, Held = _shared.Held.Count - 1 };
        Append(_shared.Rows.AppendCounted(MemoryMarshal.AsBytes(new ReadOnlySpan<Row>(in row))), item.Variants.Count);
    }

    /// <summary>
    /// Adds a card of look <paramref name="look"/>: as a record when its fields are in the look's store, its pre-key is
    /// a SHA-256's hex digits and its id and stem are under 64 KB as UTF-8, else as a card object.
    /// </summary>
    internal void AddCard(int look, DataItem item, string output, string preKey)
    {
        var kind = _shared.Looks[look];
        var key = CompactKey.From(preKey);
        var row = new Row { Look = look, Line = item.Line };
        // Three bytes a UTF-16 unit at most: checked before encoding.
        if (item.Fields is StoredFields stored && ReferenceEquals(stored.Store, kind.Store) && key.TryWrite(row.Key)
            && item.Id.Length * 3L <= ushort.MaxValue && output.Length * 3L <= ushort.MaxValue)
        {
            var record = _shared.Room(RowBytes + ((item.Id.Length + output.Length) * 3));
            var idBytes = PathPool.Encode(item.Id, record[RowBytes..]);
            var outputBytes = PathPool.Encode(output, record[(RowBytes + idBytes)..]);
            (row.IdBytes, row.OutputBytes) = ((ushort)idBytes, (ushort)outputBytes);
            (row.Fields, row.FieldCount) = (stored.Place, stored.Count);
            row.File = _shared.FileIndex(item.SourceFile);
            MemoryMarshal.Write(record, in row);
            Append(_shared.Rows.AppendCounted(record[..(RowBytes + idBytes + outputBytes)]), kind.Shapes.Length);
            return;
        }
        Add(kind.Card(item, output, key));
    }

    /// <summary>Drops the items from <paramref name="count"/> on (a data file that failed part way); their records stay in the blocks, unused.</summary>
    internal void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
        for (var i = count; i < _count; i++)
        {
            _outputs -= VariantCount(i);
        }
        _count = count;
    }

    /// <summary>The items <paramref name="keep"/> keeps (given each item and its index): this list when it keeps all.</summary>
    internal PlannedItemList Where(Func<PlannedItem, int, bool> keep)
    {
        var kept = new PlannedItemList(_shared);
        var reader = new ScratchBlocks.InOrderReader(_shared.Rows);
        for (var i = 0; i < _count; i++)
        {
            var place = _places.Get(i);
            var record = reader.Read(place);
            var outputs = VariantCount(record);
            if (keep(Make(record), i))
            {
                kept.Append(place, outputs);
            }
        }
        return kept._count == _count ? this : kept;
    }

    /// <summary>How many outputs item <paramref name="index"/> has (without making it).</summary>
    internal int VariantCount(int index) => VariantCount(_shared.Rows.Read(_places.Get(index)));

    /// <summary>
    /// An index of the items by job name and output stem (the manifest's record identity), made once: about 6 bytes an item
    /// and no string per item. The first item of a name is the one found.
    /// </summary>
    internal OutputIndex IndexByOutput() => new(this);

    public IEnumerator<PlannedItem> GetEnumerator()
    {
        // A block in the scratch file is read once for all its records, not once a record.
        var reader = new ScratchBlocks.InOrderReader(_shared.Rows);
        for (var i = 0; i < _count; i++)
        {
            yield return Make(reader.Read(_places.Get(i)));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Append(ScratchBlocks.CountedPlace place, int outputs)
    {
        _places.EnsureLength(_count + 1);
        _places.Set(_count, place);
        _count++;
        _outputs += outputs;
    }

    private int VariantCount(ReadOnlySpan<byte> record)
    {
        var row = MemoryMarshal.Read<Row>(record);
        return row.Look < 0 ? _shared.Held[row.Held].Variants.Count : _shared.Looks[row.Look].Shapes.Length;
    }

    private PlannedItem Make(ReadOnlySpan<byte> record)
    {
        var row = MemoryMarshal.Read<Row>(record);
        if (row.Look < 0)
        {
            return _shared.Held[row.Held];
        }
        var look = _shared.Looks[row.Look];
        var text = record[RowBytes..];
        var id = PathPool.TextOf(text[..row.IdBytes]);
        var output = PathPool.TextOf(text.Slice(row.IdBytes, row.OutputBytes));
        var item = new DataItem(_shared.FileAt(row.File), row.Line, id, new StoredFields(look.Store!, row.Fields, row.FieldCount));
        return look.Card(item, output, CompactKey.FromBytes(row.Key));
    }

    /// <summary>
    /// The job name and output stem (as UTF-8) of the item at <paramref name="index"/>, for the index: read with
    /// <paramref name="reader"/> when given (a pass in order), else on its own.
    /// </summary>
    private string NameAt(int index, ScratchBlocks.InOrderReader? reader, out ReadOnlySpan<byte> output)
    {
        var place = _places.Get(index);
        ReadOnlySpan<byte> record = reader is null ? _shared.Rows.Read(place) : reader.Read(place);
        var row = MemoryMarshal.Read<Row>(record);
        if (row.Look >= 0)
        {
            output = record.Slice(RowBytes + row.IdBytes, row.OutputBytes);
            return _shared.Looks[row.Look].Job.Name;
        }
        var item = _shared.Held[row.Held];
        var bytes = new byte[item.Output.Length * 3];
        output = bytes.AsSpan(0, PathPool.Encode(item.Output, bytes));
        return item.Job.Name;
    }

    /// <summary>What the cards of one job (one template, size and set of variants) share; a row holds its index.</summary>
    internal sealed record CardLook(Configuration.JobConfig Job, Templates.TemplateDefinition Template, string TemplateKey, Templates.CardSize Size, PlannedVariant[] Shapes, OutputNamer Namer, FieldStore? Store)
    {
        /// <summary>The card of <paramref name="item"/> named <paramref name="output"/>, its alt text made from its fields when asked.</summary>
        internal PlannedCard Card(DataItem item, string output, CompactKey preKey) =>
            new(Job, Template, TemplateKey, item, Size, output, null, null!, new ItemVariants(output, Shapes)) { AltNamer = Namer, CompactPreKey = preKey };
    }

    /// <summary>Items by job name and output stem: open addressing over item indexes (<see cref="OpenSlots"/>), compared by the rows' bytes.</summary>
    internal sealed class OutputIndex
    {
        private readonly PlannedItemList _items;
        private readonly int[] _slots;

        internal OutputIndex(PlannedItemList items)
        {
            _items = items;
            _slots = new int[OpenSlots.SizeFor(items.Count, 16)];
            // Items are indexed in order, each read through one reader; the items a probe compares with are read on
            // their own (a view of the reader's block stays valid meanwhile).
            var reader = new ScratchBlocks.InOrderReader(items._shared.Rows);
            for (var i = 0; i < items.Count; i++)
            {
                var job = items.NameAt(i, reader, out var output);
                var slot = Slot(job, output);
                if (_slots[slot] == 0)
                {
                    _slots[slot] = i + 1;
                }
            }
        }

        /// <summary>The index of the first item of job <paramref name="job"/> with output stem <paramref name="output"/>; -1 if none.</summary>
        internal int Find(string job, string output)
        {
            // Asked once per record by the pruner: encoded on the stack when short, not into an array each time.
            Span<byte> utf8 = output.Length <= 256 ? stackalloc byte[768] : new byte[output.Length * 3];
            return _slots[Slot(job, utf8[..PathPool.Encode(output, utf8)])] - 1;
        }

        /// <summary>The slot that holds the item named so, or the empty slot where it would go.</summary>
        private int Slot(string job, ReadOnlySpan<byte> output)
        {
            var hash = new HashCode();
            hash.Add(job, StringComparer.Ordinal);
            hash.AddBytes(output);
            var slots = _slots.Length;
            for (var slot = OpenSlots.First(hash.ToHashCode(), slots); ; slot = OpenSlots.Next(slot, slots))
            {
                var held = _slots[slot];
                if (held == 0)
                {
                    return slot;
                }
                var heldJob = _items.NameAt(held - 1, reader: null, out var heldOutput);
                if (string.Equals(heldJob, job, StringComparison.Ordinal) && heldOutput.SequenceEqual(output))
                {
                    return slot;
                }
            }
        }
    }

    /// <summary>What a list and the lists filtered from it share.</summary>
    private sealed class Shared(ScratchBlocks rows)
    {
        // Where a card's record is put together before it is appended (planning is one thread's).
        private byte[] _room = new byte[256];

        internal List<CardLook> Looks { get; } = [];

        internal List<PlannedItem> Held { get; } = [];

        /// <summary>Every item's record: a card's row and text, or a held item's index.</summary>
        internal ScratchBlocks Rows { get; } = rows;

        /// <summary>The chunks of places each list holds before it files the rest beside the rows (a build's, whose rows go beside its manifest); 0: all held.</summary>
        internal int ChunksHeld { get; init; }

        /// <summary>A buffer of at least <paramref name="bytes"/> bytes to put a record together in.</summary>
        internal Span<byte> Room(int bytes)
        {
            if (_room.Length < bytes)
            {
                _room = new byte[System.Numerics.BitOperations.RoundUpToPowerOf2((uint)bytes)];
            }
            return _room;
        }

        /// <summary>
        /// The data files' paths, each held once as the bytes it does not share with the one before: a folder of a
        /// million Markdown posts is a path per item, and as strings they were 84 MB of a cold build's heap (a heap dump).
        /// </summary>
        private readonly PathPool _files = new();

        // Items come a file at a time: the last file's id, so a data file of a million items is looked up once.
        private string? _lastFile;
        private int _lastId;

        /// <summary>The index of <paramref name="file"/> among the data files.</summary>
        internal int FileIndex(string file)
        {
            if (!string.Equals(_lastFile, file, StringComparison.Ordinal))
            {
                (_lastFile, _lastId) = (file, _files.Add(file));
            }
            return _lastId;
        }

        /// <summary>The path of data file <paramref name="index"/>, as a new string.</summary>
        internal string FileAt(int index) => _files.PathOf(index);
    }

    /// <summary>
    /// The head of an item's record: a card's row (its id's and output stem's UTF-8 follow it in the record), or
    /// (<see cref="Look"/> -1) the index of an item held as given in <see cref="Held"/>.
    /// </summary>
    private struct Row
    {
        internal KeyBytes Key;
        internal int Held;
        internal ushort IdBytes;
        internal ushort OutputBytes;
        internal ScratchBlocks.Place Fields;
        internal int FieldCount;
        internal int Line;
        internal int File;
        internal int Look;
    }

    [InlineArray(32)]
    private struct KeyBytes
    {
        private byte _first;
    }
}
