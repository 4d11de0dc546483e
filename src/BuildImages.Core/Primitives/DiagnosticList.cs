using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Diagnostics in the order they were added, kept serialised in <see cref="ScratchBlocks"/> (in memory up to the build's
/// budget, then in its scratch file) with only each one's place held, 8 bytes, and read back as they are read. A build
/// whose million items fail, or that plans a million items writing one file, has a million of them: as objects with
/// their messages and item names they were about 300 bytes each. Adds are thread-safe; the lists handed out are fixed
/// at the count they were made with. Read once adding is over: a read is a view of a block a later add may reuse.
/// </summary>
internal sealed class DiagnosticList
{
    private readonly ScratchBlocks _blocks;
    private readonly Lock _lock = new();
    private readonly ChunkedArray<ScratchBlocks.Place> _places = new();
    private int _count;
    private int _errorCount;

    /// <param name="blocks">Where the diagnostics are serialised (several lists may share one store).</param>
    internal DiagnosticList(ScratchBlocks blocks) => _blocks = blocks;

    /// <summary>How many diagnostics were added (and not truncated).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>How many of them are errors.</summary>
    internal int ErrorCount => Volatile.Read(ref _errorCount);

    internal void Add(Diagnostic diagnostic)
    {
        var place = _blocks.Append(Size(diagnostic), diagnostic, static (to, d) => Write(d, to));
        lock (_lock)
        {
            _places.EnsureLength(_count + 1);
            _places[_count] = place;
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                _errorCount++;
            }
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>An empty list over the same store, whose diagnostics can be moved to this one's end without being copied (<see cref="AddAll"/>).</summary>
    internal DiagnosticList Sibling() => new(_blocks);

    /// <summary>Adds every diagnostic of <paramref name="sibling"/> (made by <see cref="Sibling"/>), in its order, by place.</summary>
    internal void AddAll(DiagnosticList sibling)
    {
        if (!ReferenceEquals(sibling._blocks, _blocks))
        {
            throw new ArgumentException("the list's diagnostics are in another store", nameof(sibling));
        }
        lock (sibling._lock)
        {
            lock (_lock)
            {
                _places.EnsureLength(_count + sibling._count);
                for (var i = 0; i < sibling._count; i++)
                {
                    _places[_count + i] = sibling._places[i];
                }
                _errorCount += sibling._errorCount;
                Volatile.Write(ref _count, _count + sibling._count);
            }
        }
    }

    /// <summary>
    /// Forgets every diagnostic past the first <paramref name="count"/> (the problems of a data file that failed part way
    /// go with its items). Their bytes stay in the blocks until the build ends: a rare path, not worth a store that shrinks.
    /// </summary>
    internal void Truncate(int count)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
            for (var i = count; i < _count; i++)
            {
                if (Parse(_blocks.Read(_places[i])).Severity == DiagnosticSeverity.Error)
                {
                    _errorCount--;
                }
            }
            Volatile.Write(ref _count, count);
        }
    }

    /// <summary>Every diagnostic added so far, in order, each read back as it is read (one added later is not in it).</summary>
    internal IReadOnlyList<Diagnostic> All() => new Listed(this, Count, ErrorCount);

    private Diagnostic Read(int index, ScratchBlocks.InOrderReader? reader = null)
    {
        ScratchBlocks.Place place;
        lock (_lock)
        {
            place = _places[index];
        }
        return Parse(reader is null ? _blocks.Read(place) : reader.Read(place));
    }

    /// <summary>The first <see cref="Count"/> diagnostics of a list (a count fixed when it is made).</summary>
    internal sealed class Listed(DiagnosticList list, int count, int errorCount) : IReadOnlyList<Diagnostic>
    {
        public int Count => count;

        /// <summary>How many of them are errors (without reading them back).</summary>
        internal int ErrorCount => errorCount;

        public Diagnostic this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                return list.Read(index);
            }
        }

        public IEnumerator<Diagnostic> GetEnumerator()
        {
            // In the order they were kept: each block of the scratch file is read once.
            var reader = new ScratchBlocks.InOrderReader(list._blocks);
            for (var i = 0; i < count; i++)
            {
                yield return list.Read(i, reader);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // Serialised: severity, line, column, code, message, then the file and the item, each after a byte saying whether it is there.
    private static int Size(Diagnostic d) =>
        1 + 4 + 4 + ScratchWriter.TextSize(d.Code) + ScratchWriter.TextSize(d.Message) + OptionalSize(d.File) + OptionalSize(d.Item);

    private static int OptionalSize(string? text) => 1 + (text is null ? 0 : ScratchWriter.TextSize(text));

    private static void Write(Diagnostic d, Span<byte> to)
    {
        var w = new ScratchWriter(to);
        w.Byte((byte)d.Severity);
        w.Int32(d.Line);
        w.Int32(d.Column);
        w.Text(d.Code);
        w.Text(d.Message);
        Optional(ref w, d.File);
        Optional(ref w, d.Item);
    }

    private static void Optional(ref ScratchWriter w, string? text)
    {
        w.Byte(text is null ? (byte)0 : (byte)1);
        if (text is not null)
        {
            w.Text(text);
        }
    }

    private static Diagnostic Parse(ReadOnlySpan<byte> from)
    {
        var r = new ScratchReader(from);
        var severity = (DiagnosticSeverity)r.Byte();
        var line = r.Int32();
        var column = r.Int32();
        // Our codes, a few dozen: one string each, not one per diagnostic read.
        var code = SharedStrings.Get(r.Text());
        var message = r.Text();
        var file = r.Byte() == 0 ? null : r.Text();
        var item = r.Byte() == 0 ? null : r.Text();
        return new Diagnostic(severity, code, message, file, line, column, item);
    }
}
