using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Every output's outcome a build logs, kept for its report: serialised into <see cref="ScratchBlocks"/> (in memory up
/// to a budget, then a nameless scratch file beside the manifest), with only the outcome's place held, by its output's
/// path (an id in the build's <see cref="PathPool"/>): 4 bytes an output (<see cref="ScratchBlocks.CountedPlace"/>), where
/// a place of 8 was 32 MB of a million-item build, a list of paths and places to sort 12 bytes an output, and an object
/// of 140 and a path before that (a million-item build logs four million). The report reads them back in
/// path order as it is read, so the blocks live as long as the report.
/// </summary>
/// <remarks>
/// Path order is the pool's id order for the paths of its sorted run (a stat cache's names, as loaded: every output of a
/// build that planned against a filled manifest), so they need no sort; the paths outside the run are sorted by the
/// pool once for every reader (PathPool.LatePathOrder) and merged in. A second outcome of one path (none in a build
/// that plans each output once) is kept beside, and read after the first.
/// </remarks>
internal sealed class OutcomeSpill
{
    private readonly PathPool _paths;
    private readonly ScratchBlocks _blocks;
    private readonly Lock _lock = new();
    // By path id: where the path's first outcome is (an empty place where it has none).
    private readonly ChunkedArray<ScratchBlocks.CountedPlace> _byPath = new();
    // A path's outcomes after its first.
    private readonly List<Entry> _more = [];
    private int _count;
    // Once the log is ended: the pool's sorted run then (the ids walked in id order; the rest in the order the pool sorted them).
    private int _run = -1;
    private List<Entry>? _indexed;

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
    /// <param name="mostChunksHeld">The chunks of the places by path (4,096 each) held before the rest are filed (with a manifest file).</param>
    internal OutcomeSpill(string? manifestFile, ScratchBudget budget, PathPool? paths = null, int mostChunksHeld = DefaultChunksHeld)
    {
        _paths = paths ?? new PathPool();
        _blocks = new ScratchBlocks(manifestFile, "outcomes", budget);
        if (manifestFile is not null)
        {
            // A place per output, 48 MB at three million items to the finish: past 256 chunks (4 MiB), filed in a store of
            // their own (a walk reads outcomes while it files a chunk).
            _byPath.KeepChunksIn(_blocks.Sibling("outcome-places"), mostChunksHeld);
        }
    }

    /// <summary>
    /// The chunks of places held at once when the rest are filed (4 MiB): a walk in path order over paths that came in
    /// about that order reads each chunk back about once.
    /// </summary>
    internal const int DefaultChunksHeld = 256;

    /// <summary>Whether a scratch file holds some of the outcomes (for tests).</summary>
    internal bool UsesFile => _blocks.UsesFile;

    /// <summary>Makes room for <paramref name="outcomes"/> paths' outcomes at once (the pool holds at least that many paths by the end).</summary>
    internal void Expect(int outcomes)
    {
        lock (_lock)
        {
            _byPath.EnsureLength(outcomes);
        }
    }

    internal void Add(OutputOutcome outcome)
    {
        var path = _paths.Add(outcome.Path);
        lock (_lock)
        {
            if (_run >= 0)
            {
                throw new InvalidOperationException("an outcome was logged after the report read the log");
            }
            var place = _blocks.AppendCounted(Size(outcome), outcome, static (to, o) => Write(o, to));
            _byPath.EnsureLength(path + 1);
            if (_byPath.Get(path).IsEmpty)
            {
                _byPath.Set(path, place);
            }
            else
            {
                _more.Add(new Entry(path, place));
            }
            _count++;
        }
    }

    /// <summary>
    /// The outcomes in path order (ordinal), each read back when it is read. Ends the log: an outcome logged after this
    /// is a bug, and throws. Enumerating it walks the log; indexing it lists every outcome's place first (8 bytes each).
    /// </summary>
    internal IReadOnlyList<OutputOutcome> SortedByPath()
    {
        End();
        return new InPathOrder(this);
    }

    /// <summary>
    /// As <see cref="SortedByPath"/>, each outcome with its path's id in the pool: what a reader that marks paths by
    /// their ids (<see cref="UpToDateOutputs"/>) checks without looking each path up again.
    /// </summary>
    internal IEnumerable<(int Path, OutputOutcome Outcome)> SortedWithPathIds()
    {
        End();
        foreach (var entry in Walk())
        {
            yield return (entry.Path, Read(entry));
        }
    }

    private void End()
    {
        lock (_lock)
        {
            if (_run < 0)
            {
                _run = _paths.Sorted;
                // By path, and in the order they were logged within one (the sort is stable on the index).
                var more = _more.Select((e, i) => (e, i)).ToList();
                more.Sort((a, b) => a.e.Path == b.e.Path ? a.i.CompareTo(b.i) : _paths.Compare(a.e.Path, b.e.Path));
                _more.Clear();
                _more.AddRange(more.Select(m => m.e));
            }
        }
    }

    /// <summary>Every outcome's path and place in path order: the run's ids in id order, the late ones merged in, each path's later outcomes after its first.</summary>
    private IEnumerable<Entry> Walk()
    {
        var nextMore = 0;
        foreach (var id in _paths.MergeWithRun(InRun(), _paths.LatePathOrder(_run).Where(id => id < _byPath.Length && !_byPath.Get(id).IsEmpty), _run))
        {
            yield return new Entry(id, _byPath.Get(id));
            for (; nextMore < _more.Count && _more[nextMore].Path == id; nextMore++)
            {
                yield return _more[nextMore];
            }
        }
    }

    /// <summary>The ids of the pool's sorted run (as the log ended) that have an outcome, ascending.</summary>
    private IEnumerable<int> InRun()
    {
        var length = Math.Min(_run, _byPath.Length);
        for (var id = 0; id < length; id++)
        {
            if (!_byPath.Get(id).IsEmpty)
            {
                yield return id;
            }
        }
    }

    private List<Entry> Indexed()
    {
        lock (_lock)
        {
            return _indexed ??= [.. Walk()];
        }
    }

    private OutputOutcome Read(Entry entry) => Parse(_paths.PathOf(entry.Path), _blocks.Read(entry.Place));

    /// <summary>The log's outcomes as a list: enumerated by walking the log, indexed through a list of places made on first use.</summary>
    private sealed class InPathOrder(OutcomeSpill log) : IReadOnlyList<OutputOutcome>
    {
        public int Count => log._count;

        public OutputOutcome this[int index] => log.Read(log.Indexed()[index]);

        public IEnumerator<OutputOutcome> GetEnumerator() => log.Walk().Select(log.Read).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

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
    private readonly record struct Entry(int Path, ScratchBlocks.CountedPlace Place);
}
