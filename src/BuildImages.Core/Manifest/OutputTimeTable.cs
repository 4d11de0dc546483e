namespace BuildImages.Core.Manifest;

/// <summary>
/// Output files (relative to the output folder) → the write time BuildImages last verified them at, read and updated by
/// worker threads. A set of entries under a lock: a build holds one entry per output to its end, and a concurrent
/// dictionary's node per entry (an object of 48 bytes) was twice what a set's slot costs (24 bytes). The lock is taken
/// once per file written or checked, never for long.
/// </summary>
internal sealed class OutputTimeTable
{
    private readonly Lock _lock = new();
    private readonly HashSet<OutputTime> _times;

    internal OutputTimeTable()
    {
        _times = new HashSet<OutputTime>(ByFile.Instance);
    }

    internal OutputTimeTable(IEnumerable<KeyValuePair<string, long>> times)
    {
        _times = new HashSet<OutputTime>(times.Select(t => new OutputTime(t.Key, t.Value)), ByFile.Instance);
    }

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _times.Count;
            }
        }
    }

    /// <summary>The files, for tests and messages (a copy).</summary>
    internal IReadOnlyList<string> Files
    {
        get
        {
            lock (_lock)
            {
                return [.. _times.Select(t => t.File)];
            }
        }
    }

    internal bool TryGetValue(string file, out long ticks)
    {
        var found = TryGetEntry(file, out var entry);
        ticks = entry.Ticks;
        return found;
    }

    /// <summary>
    /// The entry of <paramref name="file"/> with the name as the table holds it: a caller that lists many entries (the
    /// stat cache's writer) keeps the table's strings, not the copies it looked them up with.
    /// </summary>
    internal bool TryGetEntry(string file, out OutputTime entry)
    {
        lock (_lock)
        {
            return _times.TryGetValue(new OutputTime(file, 0), out entry);
        }
    }

    /// <summary>Makes room for <paramref name="files"/> entries at once (a set grown by doubling holds both tables while it copies).</summary>
    internal void Expect(int files)
    {
        lock (_lock)
        {
            _times.EnsureCapacity(files);
        }
    }

    internal void Set(string file, long ticks)
    {
        var entry = new OutputTime(file, ticks);
        lock (_lock)
        {
            // A set does not replace an equal element: the old entry goes first.
            _times.Remove(entry);
            _times.Add(entry);
        }
    }

    /// <summary>Entries are equal by file name alone (ordinal), whatever their times.</summary>
    private sealed class ByFile : IEqualityComparer<OutputTime>
    {
        internal static readonly ByFile Instance = new();

        public bool Equals(OutputTime x, OutputTime y) => string.Equals(x.File, y.File, StringComparison.Ordinal);

        public int GetHashCode(OutputTime obj) => StringComparer.Ordinal.GetHashCode(obj.File);
    }
}

/// <summary>One output file and the write time (UTC ticks) BuildImages last verified it at.</summary>
internal readonly record struct OutputTime(string File, long Ticks);
