using System.Collections;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A range of a <see cref="PathPool"/>'s ids in path order, kept in scratch blocks rather than as an array: sorted in runs
/// of at most a mebi-id (each run sorted in memory as the pool sorts any ids, then filed), and merged by path each time
/// it is walked. What stays in memory is where the runs are (8 bytes per 16,384 ids); a walk holds a 64 KB block and the
/// path of one id per run. The late paths of a cold build are every output: as an array, their order was 4 bytes an
/// output for the whole finish, 48 MB at three million items, where the finish peaks.
/// </summary>
/// <remarks>
/// A walk costs a rebuild of each id's path and about log2(runs) comparisons of two paths' bytes per id; the order is made
/// once, so the walks that share it (the outcome log's, the up-to-date record's, the stat cache's) share its sort too.
/// Walks may run on several threads at once (each reads with its own buffers), and go on reading their own order after
/// the pool has made a newer one: every block of an order is filed before it is handed out.
/// </remarks>
internal sealed class SpilledPathOrder : IEnumerable<int>
{
    /// <summary>The most ids sorted in memory at once (4 bytes each, and 4 of sort key: what the pool's sort of one group holds).</summary>
    internal const int DefaultRunLength = 1 << 20;

    // Ids filed as one record: a record fills a 64 KB block, so a run is read a block at a time.
    private const int IdsPerRecord = 16 * 1024;

    private readonly PathPool _pool;
    private readonly ScratchBlocks _store;
    private readonly ScratchBlocks.Place[][] _runs;

    private SpilledPathOrder(PathPool pool, ScratchBlocks store, ScratchBlocks.Place[][] runs, int count)
    {
        _pool = pool;
        _store = store;
        _runs = runs;
        Count = count;
    }

    /// <summary>How many ids the order holds.</summary>
    internal int Count { get; }

    /// <summary>How many runs were sorted and filed (for tests).</summary>
    internal int Runs => _runs.Length;

    /// <summary>Sorts ids <paramref name="from"/> up to <paramref name="to"/> of <paramref name="pool"/> by path into <paramref name="store"/>, <paramref name="runLength"/> ids at a time.</summary>
    internal static SpilledPathOrder Make(PathPool pool, ScratchBlocks store, int from, int to, int runLength = DefaultRunLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 1);
        var count = Math.Max(0, to - from);
        var buffer = new int[Math.Min(runLength, count)];
        var runs = new ScratchBlocks.Place[(int)(((long)count + runLength - 1) / runLength)][];
        for (var r = 0; r < runs.Length; r++)
        {
            var start = from + (r * runLength);
            var ids = buffer.AsSpan(0, Math.Min(runLength, to - start));
            pool.SortRange(ids, start);
            var places = new ScratchBlocks.Place[(ids.Length + IdsPerRecord - 1) / IdsPerRecord];
            for (var k = 0; k < places.Length; k++)
            {
                // In this machine's byte order: the scratch file is read back by this process only.
                var part = ids.Slice(k * IdsPerRecord, Math.Min(IdsPerRecord, ids.Length - (k * IdsPerRecord)));
                places[k] = store.Append(MemoryMarshal.AsBytes(part));
            }
            runs[r] = places;
        }
        // Walks read filed blocks only, so a later order kept in the same store never changes what they read.
        store.EndBlock();
        return new SpilledPathOrder(pool, store, runs, count);
    }

    /// <summary>The ids in path order: the runs merged, each run's next id ready with its path.</summary>
    public IEnumerator<int> GetEnumerator()
    {
        // A binary heap of the runs by their next path, the least first. Its own: a run's path changes as it moves on,
        // and a priority queue keyed by the run would take the changed run for its old place.
        var heap = new Run[_runs.Length];
        var size = 0;
        foreach (var places in _runs)
        {
            var run = new Run(_pool, _store, places);
            if (run.Next())
            {
                heap[size++] = run;
            }
        }
        for (var i = (size / 2) - 1; i >= 0; i--)
        {
            SiftDown(heap, size, i);
        }
        while (size > 0)
        {
            yield return heap[0].Id;
            if (!heap[0].Next())
            {
                heap[0] = heap[--size];
            }
            SiftDown(heap, size, 0);
        }
    }

    private static void SiftDown(Run[] heap, int size, int at)
    {
        while (true)
        {
            var (least, left) = (at, (2 * at) + 1);
            if (left < size && heap[left].ComesBefore(heap[least]))
            {
                least = left;
            }
            if (left + 1 < size && heap[left + 1].ComesBefore(heap[least]))
            {
                least = left + 1;
            }
            if (least == at)
            {
                return;
            }
            (heap[at], heap[least]) = (heap[least], heap[at]);
            at = least;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One run being walked: its next id, and that id's path rebuilt in a cursor of its own.</summary>
    private sealed class Run(PathPool pool, ScratchBlocks store, ScratchBlocks.Place[] places)
    {
        private readonly ScratchBlocks.InOrderReader _reader = new(store);
        private readonly PathPool.Cursor _cursor = new();
        private ArraySegment<byte> _ids = ArraySegment<byte>.Empty;
        private int _at;
        private int _place;

        internal int Id { get; private set; }

        // The cursor holds the id's path as rebuilt last (Next rebuilds it, nothing else uses the cursor).
        private ReadOnlySpan<byte> Path => _cursor.Bytes.AsSpan(0, _cursor.Length);

        internal bool Next()
        {
            if (_at == _ids.Count)
            {
                if (_place == places.Length)
                {
                    return false;
                }
                _ids = _reader.Read(places[_place++]);
                _at = 0;
            }
            Id = MemoryMarshal.Read<int>(_ids.AsSpan(_at));
            _at += sizeof(int);
            pool.Utf8(Id, _cursor);
            return true;
        }

        /// <summary>Whether this run's next path comes before <paramref name="other"/>'s (two runs never hold one path).</summary>
        internal bool ComesBefore(Run other) => PathPool.CompareUtf8(Path, other.Path) < 0;
    }
}
