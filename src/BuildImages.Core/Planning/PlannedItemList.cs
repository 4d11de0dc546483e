using System.Collections;
using System.Runtime.CompilerServices;
using BuildImages.Core.Data;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Planning;

/// <summary>
/// A plan's items, in plan order. A card planned from a data file with its fields in a <see cref="FieldStore"/> is held
/// as a row of 64 bytes (its pre-key's 32 bytes, its data file, line and field place, and a place in shared blocks of
/// its id and output stem as UTF-8), with what its job's cards share (job, template, size, variant shapes, namer) held
/// once as a <see cref="CardLook"/>; any other item (a photo, a hook's card) is held as given. Each read of a row makes
/// a new <see cref="PlannedCard"/>, equal in value to the one planned: the plan lives to the build's end, and as
/// objects (the card, its data item, its stored fields, its id and stem) a million cards were about 310 MB of it.
/// </summary>
/// <remarks>
/// A reader that keeps an item (a work list, a duplicate's owner) keeps the object it read, and compares by that
/// object; two reads of one row are equal cards, not the same object. Adding is for the planner alone; once planned,
/// the list is read from any thread. A filtered list (<see cref="Where"/>) shares the blocks, the looks and the held items.
/// </remarks>
internal sealed class PlannedItemList : IReadOnlyList<PlannedItem>
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly Shared _shared;
    private readonly List<Row[]> _chunks = [];
    private int _count;

    internal PlannedItemList()
        : this(new Shared())
    {
    }

    private PlannedItemList(Shared shared) => _shared = shared;

    public int Count => _count;

    /// <summary>How many outputs the items have (without making them).</summary>
    internal int OutputCount
    {
        get
        {
            var outputs = 0L;
            for (var i = 0; i < _count; i++)
            {
                outputs += VariantCount(i);
            }
            return checked((int)outputs);
        }
    }

    public PlannedItem this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return Make(in RowAt(index));
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
        Append(new Row { Look = -1, Text = _shared.Held.Count - 1 });
    }

    /// <summary>
    /// Adds a card of look <paramref name="look"/>: as a row when its fields are in the look's store and its pre-key is a
    /// SHA-256's hex digits, else as a card object.
    /// </summary>
    internal void AddCard(int look, DataItem item, string output, string preKey)
    {
        var kind = _shared.Looks[look];
        var key = CompactKey.From(preKey);
        var row = new Row { Look = look, Line = item.Line };
        if (item.Fields is StoredFields stored && ReferenceEquals(stored.Store, kind.Store) && key.TryWrite(row.Key)
            && _shared.Text.Append(item.Id, output) is { } text)
        {
            (row.Text, row.IdBytes, row.OutputBytes) = text;
            (row.Fields, row.FieldCount) = (stored.Place, stored.Count);
            row.File = _shared.FileIndex(item.SourceFile);
            Append(row);
            return;
        }
        Add(kind.Card(item, output, key));
    }

    /// <summary>Drops the items from <paramref name="count"/> on (a data file that failed part way); their text stays in the blocks, unused.</summary>
    internal void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
        _count = count;
    }

    /// <summary>The items <paramref name="keep"/> keeps (given each item and its index): this list when it keeps all.</summary>
    internal PlannedItemList Where(Func<PlannedItem, int, bool> keep)
    {
        var kept = new PlannedItemList(_shared);
        for (var i = 0; i < _count; i++)
        {
            ref readonly var row = ref RowAt(i);
            if (keep(Make(in row), i))
            {
                kept.Append(row);
            }
        }
        return kept._count == _count ? this : kept;
    }

    /// <summary>How many outputs item <paramref name="index"/> has (without making it).</summary>
    internal int VariantCount(int index)
    {
        ref readonly var row = ref RowAt(index);
        return row.Look < 0 ? _shared.Held[row.Text].Variants.Count : _shared.Looks[row.Look].Shapes.Length;
    }

    /// <summary>
    /// An index of the items by job name and output stem (the manifest's record identity), made once: about 8 bytes an item
    /// and no string per item. The first item of a name is the one found.
    /// </summary>
    internal OutputIndex IndexByOutput() => new(this);

    public IEnumerator<PlannedItem> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return Make(in RowAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ref readonly Row RowAt(int index) => ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    private void Append(in Row row)
    {
        var chunk = _count >> ChunkBits;
        if (chunk == _chunks.Count)
        {
            _chunks.Add(new Row[ChunkSize]);
        }
        _chunks[chunk][_count & (ChunkSize - 1)] = row;
        _count++;
    }

    private PlannedItem Make(in Row row)
    {
        if (row.Look < 0)
        {
            return _shared.Held[row.Text];
        }
        var look = _shared.Looks[row.Look];
        var id = _shared.Text.Read(row.Text, row.IdBytes);
        var output = _shared.Text.Read(row.Text + row.IdBytes, row.OutputBytes);
        var item = new DataItem(_shared.FileAt(row.File), row.Line, id, new StoredFields(look.Store!, row.Fields, row.FieldCount));
        return look.Card(item, output, CompactKey.FromBytes(row.Key));
    }

    /// <summary>The job name and output stem (as UTF-8) of the item at <paramref name="index"/>, for the index.</summary>
    private string NameAt(int index, out ReadOnlySpan<byte> output)
    {
        ref readonly var row = ref RowAt(index);
        if (row.Look >= 0)
        {
            output = _shared.Text.Bytes(row.Text + row.IdBytes, row.OutputBytes);
            return _shared.Looks[row.Look].Job.Name;
        }
        var item = _shared.Held[row.Text];
        output = TextBlocks.Encode(item.Output);
        return item.Job.Name;
    }

    /// <summary>What the cards of one job (one template, size and set of variants) share; a row holds its index.</summary>
    internal sealed record CardLook(Configuration.JobConfig Job, Templates.TemplateDefinition Template, string TemplateKey, Templates.CardSize Size, PlannedVariant[] Shapes, OutputNamer Namer, FieldStore? Store)
    {
        /// <summary>The card of <paramref name="item"/> named <paramref name="output"/>, its alt text made from its fields when asked.</summary>
        internal PlannedCard Card(DataItem item, string output, CompactKey preKey) =>
            new(Job, Template, TemplateKey, item, Size, output, null, null!, new ItemVariants(output, Shapes)) { AltNamer = Namer, CompactPreKey = preKey };
    }

    /// <summary>Items by job name and output stem: open addressing over item indexes, compared by the rows' bytes.</summary>
    internal sealed class OutputIndex
    {
        private readonly PlannedItemList _items;
        private readonly int[] _slots;

        internal OutputIndex(PlannedItemList items)
        {
            _items = items;
            _slots = new int[(int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, (long)items.Count * 2)))];
            for (var i = 0; i < items.Count; i++)
            {
                var job = items.NameAt(i, out var output);
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
            var mask = _slots.Length - 1;
            for (var slot = hash.ToHashCode() & mask; ; slot = (slot + 1) & mask)
            {
                var held = _slots[slot];
                if (held == 0)
                {
                    return slot;
                }
                var heldJob = _items.NameAt(held - 1, out var heldOutput);
                if (string.Equals(heldJob, job, StringComparison.Ordinal) && heldOutput.SequenceEqual(output))
                {
                    return slot;
                }
            }
        }
    }

    /// <summary>What a list and the lists filtered from it share.</summary>
    private sealed class Shared
    {
        internal List<CardLook> Looks { get; } = [];

        internal List<PlannedItem> Held { get; } = [];

        internal TextBlocks Text { get; } = new();

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

    /// <summary>One item: a card's row, or (<see cref="Look"/> -1) the index of an item held as given in <see cref="Text"/>.</summary>
    private struct Row
    {
        internal KeyBytes Key;
        internal int Text;
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
