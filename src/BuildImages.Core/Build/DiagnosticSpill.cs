using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Every error and warning a build logs, kept for its report: serialised into <see cref="ScratchBlocks"/> (in memory up
/// to the build's budget, then a nameless scratch file beside the manifest), with only each one's place held, 8 bytes.
/// A build in which a million items fail logs a million errors: held as objects with their item names they were most
/// of the 250 MB such a build held over one that renders. The report reads them back, in the order they were logged, as
/// it is read, so the blocks live as long as the report. Thread-safe: workers log from their threads.
/// </summary>
internal sealed class DiagnosticSpill
{
    private readonly ScratchBlocks _blocks;
    private readonly Lock _lock = new();
    private readonly ChunkedArray<ScratchBlocks.Place> _errors = new();
    private readonly ChunkedArray<ScratchBlocks.Place> _warnings = new();
    private int _errorCount;
    private int _warningCount;

    /// <param name="manifestFile">The manifest the scratch file goes beside; null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    internal DiagnosticSpill(string? manifestFile, ScratchBudget budget) => _blocks = new ScratchBlocks(manifestFile, "diagnostics", budget);

    /// <summary>Whether a scratch file holds some of the diagnostics (for tests).</summary>
    internal bool UsesFile => _blocks.UsesFile;

    /// <summary>How many errors were logged.</summary>
    internal int ErrorCount => Volatile.Read(ref _errorCount);

    /// <summary>How many warnings were logged.</summary>
    internal int WarningCount => Volatile.Read(ref _warningCount);

    internal void Add(Diagnostic diagnostic)
    {
        var place = _blocks.Append(Size(diagnostic), diagnostic, static (to, d) => Write(d, to));
        lock (_lock)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                _errors.EnsureLength(_errorCount + 1);
                _errors[_errorCount] = place;
                Volatile.Write(ref _errorCount, _errorCount + 1);
            }
            else
            {
                _warnings.EnsureLength(_warningCount + 1);
                _warnings[_warningCount] = place;
                Volatile.Write(ref _warningCount, _warningCount + 1);
            }
        }
    }

    /// <summary>The errors logged so far, in the order they were logged, each read back as it is read.</summary>
    internal IReadOnlyList<Diagnostic> Errors() => new Logged(this, _errors, ErrorCount);

    /// <summary>The warnings logged so far, in the order they were logged, each read back as it is read.</summary>
    internal IReadOnlyList<Diagnostic> Warnings() => new Logged(this, _warnings, WarningCount);

    private Diagnostic Read(ChunkedArray<ScratchBlocks.Place> places, int index)
    {
        ScratchBlocks.Place place;
        lock (_lock)
        {
            place = places[index];
        }
        return Parse(_blocks.Read(place));
    }

    /// <summary>The first <paramref name="count"/> of one severity's diagnostics (a count fixed when the list is made: one logged later is not in it).</summary>
    private sealed class Logged(DiagnosticSpill spill, ChunkedArray<ScratchBlocks.Place> places, int count) : IReadOnlyList<Diagnostic>
    {
        public int Count => count;

        public Diagnostic this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                return spill.Read(places, index);
            }
        }

        public IEnumerator<Diagnostic> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return spill.Read(places, i);
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
        // Our codes, a few dozen: one string each, not one per error read.
        var code = SharedStrings.Get(r.Text());
        var message = r.Text();
        var file = r.Byte() == 0 ? null : r.Text();
        var item = r.Byte() == 0 ? null : r.Text();
        return new Diagnostic(severity, code, message, file, line, column, item);
    }
}
