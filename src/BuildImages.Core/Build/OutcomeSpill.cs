using System.Runtime.InteropServices;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Every output's outcome a build logs, kept for its report: serialised into <see cref="ScratchBlocks"/> (in memory up
/// to a budget, then a nameless scratch file beside the manifest), with only the output's path (its id in the build's
/// <see cref="PathPool"/>) and the outcome's place held per output (16 bytes instead of an object of 140 and a path: a
/// million-item build logs four million). The report reads them back in path order as it is read, so the blocks live
/// as long as the report.
/// </summary>
internal sealed class OutcomeSpill
{
    private readonly PathPool _paths;
    private readonly ScratchBlocks _blocks;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private bool _sorted;

    /// <param name="manifestFile">The manifest the scratch file goes beside; null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="memoryBudget">Bytes of serialised outcomes held in memory before the file is used.</param>
    /// <param name="paths">The build's output paths (a pool of the log's own when none is given).</param>
    internal OutcomeSpill(string? manifestFile, long memoryBudget = RecordSpill.DefaultMemoryBudget, PathPool? paths = null)
        : this(manifestFile, new ScratchBudget(memoryBudget), paths)
    {
    }

    /// <param name="manifestFile">The manifest the scratch file goes beside; null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    /// <param name="paths">The build's output paths (a pool of the log's own when none is given).</param>
    internal OutcomeSpill(string? manifestFile, ScratchBudget budget, PathPool? paths = null)
    {
        _paths = paths ?? new PathPool();
        _blocks = new ScratchBlocks(manifestFile, "outcomes", budget);
    }

    /// <summary>Whether a scratch file holds some of the outcomes (for tests).</summary>
    internal bool UsesFile => _blocks.UsesFile;

    /// <summary>Makes room for <paramref name="outcomes"/> entries at once (a list grown by doubling holds both arrays while it copies).</summary>
    internal void Expect(int outcomes)
    {
        lock (_lock)
        {
            _entries.EnsureCapacity(outcomes);
        }
    }

    internal void Add(OutputOutcome outcome)
    {
        var path = _paths.Add(outcome.Path);
        lock (_lock)
        {
            if (_sorted)
            {
                throw new InvalidOperationException("an outcome was logged after the report read the log");
            }
            _entries.Add(new Entry(path, _blocks.Append(Size(outcome), outcome, static (to, o) => Write(o, to))));
        }
    }

    /// <summary>
    /// The outcomes in path order (ordinal), each read back when it is read. Ends the log: an outcome logged after this
    /// is a bug, and throws.
    /// </summary>
    internal IReadOnlyList<OutputOutcome> SortedByPath()
    {
        Sort();
        return new Primitives.ProjectedList<Entry, OutputOutcome>(_entries, Read);
    }

    /// <summary>
    /// As <see cref="SortedByPath"/>, each outcome with its path's id in the pool: what a reader that marks paths by
    /// their ids (<see cref="UpToDateOutputs"/>) checks without looking each path up again.
    /// </summary>
    internal IEnumerable<(int Path, OutputOutcome Outcome)> SortedWithPathIds()
    {
        Sort();
        foreach (var entry in _entries)
        {
            yield return (entry.Path, Read(entry));
        }
    }

    private void Sort()
    {
        lock (_lock)
        {
            if (!_sorted)
            {
                CollectionsMarshal.AsSpan(_entries).Sort((a, b) => _paths.Compare(a.Path, b.Path));
                _sorted = true;
            }
        }
    }

    private OutputOutcome Read(Entry entry) => Parse(_paths.PathOf(entry.Path), _blocks.Read(entry.Place));

    // The serialised outcome, without its path (the entry holds it): status, width, height, bytes, reason, key, item, format.
    private static int Size(OutputOutcome o) =>
        1 + 4 + 4 + 8
        + 1 + (o.Reason is { } reason ? ScratchWriter.TextSize(reason.Detail) : 0)
        + ScratchWriter.KeySize(o.Key) + ScratchWriter.TextSize(o.Item) + ScratchWriter.TextSize(o.Format);

    private static void Write(OutputOutcome o, Span<byte> to)
    {
        var w = new ScratchWriter(to);
        w.Byte((byte)o.Status);
        w.Int32(o.Width);
        w.Int32(o.Height);
        w.Int64(o.Bytes);
        if (o.Reason is { } reason)
        {
            w.Byte((byte)reason.Kind);
            w.Text(reason.Detail);
        }
        else
        {
            w.Byte(byte.MaxValue);
        }
        w.Key(o.Key);
        w.Text(o.Item);
        w.Text(o.Format);
    }

    private static OutputOutcome Parse(string path, ReadOnlySpan<byte> from)
    {
        var r = new ScratchReader(from);
        var status = (OutputStatus)r.Byte();
        var width = r.Int32();
        var height = r.Int32();
        var bytes = r.Int64();
        var kind = r.Byte();
        var reason = kind == byte.MaxValue ? null : new RenderReason((RenderReasonKind)kind, r.Text());
        var key = r.Key();
        var item = r.Text();
        var format = Primitives.SharedStrings.Get(r.Text());
        return new OutputOutcome(path, item, status, reason, width, height, format, bytes, key);
    }

    /// <summary>One outcome: its output's path (an id in the pool), and where its bytes are.</summary>
    private readonly record struct Entry(int Path, ScratchBlocks.Place Place);
}
