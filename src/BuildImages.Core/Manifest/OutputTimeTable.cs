using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Output files (relative to the output folder) → the write time BuildImages last verified them at, read and updated by
/// worker threads. The files are the build's <see cref="PathPool"/> ids and the times an array by id: 8 bytes an entry
/// beside the pool's copy of the path, where a set of (string, time) entries cost 24 bytes and a string of 72 (at a
/// million items the table held four million of each to the build's end). The lock is taken once per file written or
/// checked, never for long.
/// </summary>
internal sealed class OutputTimeTable(PathPool paths)
{
    // Ids the pool holds without a time here (an outcome's path for a file never verified) have none.
    private const long NoTime = long.MinValue;

    private readonly Lock _lock = new();
    private long[] _ticks = [];
    private int _count;

    internal OutputTimeTable()
        : this(new PathPool())
    {
    }

    /// <summary>The pool the table's files are ids in (the build's, shared with the outcome log and the up-to-date record).</summary>
    internal PathPool Paths => paths;

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
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
                return [.. Enumerable.Range(0, _ticks.Length).Where(id => _ticks[id] != NoTime).Select(paths.PathOf)];
            }
        }
    }

    internal bool TryGetValue(string file, out long ticks) => TryGetValue(paths.Find(file), out ticks);

    /// <summary>The time of the file with pool id <paramref name="id"/> (none for -1, the id of a path the pool does not hold).</summary>
    internal bool TryGetValue(int id, out long ticks)
    {
        lock (_lock)
        {
            ticks = id >= 0 && id < _ticks.Length ? _ticks[id] : NoTime;
        }
        return ticks != NoTime;
    }

    /// <summary>Makes room for <paramref name="files"/> entries at once (arrays grown by doubling hold the old beside the new).</summary>
    internal void Expect(int files)
    {
        paths.Expect(files);
        lock (_lock)
        {
            Grow(files);
        }
    }

    internal void Set(string file, long ticks)
    {
        var id = paths.Add(file);
        lock (_lock)
        {
            if (id >= _ticks.Length)
            {
                Grow((int)Math.Min(Array.MaxLength, Math.Max(id + 1L, 2L * _ticks.Length)));
            }
            if (_ticks[id] == NoTime)
            {
                _count++;
            }
            _ticks[id] = ticks;
        }
    }

    private void Grow(int length)
    {
        if (length <= _ticks.Length)
        {
            return;
        }
        var from = _ticks.Length;
        Array.Resize(ref _ticks, length);
        _ticks.AsSpan(from).Fill(NoTime);
    }
}
