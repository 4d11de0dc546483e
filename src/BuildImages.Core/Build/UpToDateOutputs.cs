using System.Collections;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// The outputs a new up-to-date record lists: every planned output as the manifest records it, in path order. The
/// build's outcome log holds every output in path order already, so this holds no second list: the gathering marks each
/// planned output's path (a bit per path in the build's <see cref="PathPool"/>), notes the written file where it is not
/// the path (a hashed name), and sums a hash of what the record says of it; the record is then written from the
/// outcomes, each one whose path is marked, and the same sum taken over them must come out equal. At a million items
/// the list this replaces held four million entries of 12 bytes and wrote every output to a scratch file again.
/// </summary>
internal sealed class UpToDateOutputs
{
    private readonly PathPool _paths;
    private readonly OrderedPathSet _planned;
    // The written file's id by path id, where they differ (made at the first hashed name); -1 where they do not.
    private int[]? _files;
    private ulong _sum;

    /// <param name="paths">The build's output paths, which the outcome log and the output times name outputs by.</param>
    internal UpToDateOutputs(PathPool paths)
    {
        _paths = paths;
        // Sized once: the finish adds no path (the outcomes and the times were all set before it).
        _planned = new OrderedPathSet(paths);
    }

    /// <summary>How many outputs were added.</summary>
    internal int Count => _planned.Count;

    /// <summary>
    /// Adds a planned output as its record holds it: its path's and its written file's ids in the pool. False when the
    /// path was added before, or the pool held no such path when this list was made (then no record can be written).
    /// </summary>
    internal bool Add(int path, int file, int width, int height, string mime, long bytes, string key)
    {
        if (!_planned.CanHold(path) || file < 0 || !_planned.Add(path))
        {
            return false;
        }
        if (file != path)
        {
            if (_files is null)
            {
                _files = new int[_planned.Capacity];
                Array.Fill(_files, -1);
            }
            _files[path] = file;
        }
        _sum += Hash(path, file, width, height, mime, bytes, key);
        return true;
    }

    /// <summary>
    /// The outputs to write, made from <paramref name="outcomes"/> (the log's, in path order) as they are enumerated,
    /// each with the write time <paramref name="times"/> holds of its file. An enumeration that finds other outputs than
    /// were added (one missing, one more, or one the log says otherwise of than its record) throws
    /// <see cref="InvalidDataException"/> at its end: a record written from it would confirm outputs no build made.
    /// </summary>
    internal IReadOnlyCollection<UpToDateOutput> From(IEnumerable<(int Path, OutputOutcome Outcome)> outcomes, OutputTimeTable times) =>
        new Written(this, outcomes, times);

    private IEnumerable<UpToDateOutput> Enumerate(IEnumerable<(int Path, OutputOutcome Outcome)> outcomes, OutputTimeTable times)
    {
        var (count, sum) = (0, 0UL);
        foreach (var (path, outcome) in outcomes)
        {
            if (!_planned.Contains(path))
            {
                // A pruned output, a photo's copied original, an output of an item this build did not plan.
                continue;
            }
            var file = _files is { } files && files[path] >= 0 ? files[path] : path;
            if (outcome.Key is not { } key || !times.TryGetValue(file, out var ticks))
            {
                throw new InvalidDataException($"the outcome of {outcome.Path} is not a recorded output");
            }
            count++;
            sum += Hash(path, file, outcome.Width, outcome.Height, outcome.Format, outcome.Bytes, key);
            yield return new UpToDateOutput(outcome.Path, file == path ? outcome.Path : _paths.PathOf(file), outcome.Item, outcome.Width, outcome.Height, outcome.Format, outcome.Bytes, key, ticks);
        }
        if (count != Count || sum != _sum)
        {
            throw new InvalidDataException($"the outcome log holds {count} of the {Count} planned outputs as their records do");
        }
    }

    /// <summary>What the record says of one output, hashed: summed, the order the outputs come in does not matter.</summary>
    private static ulong Hash(int path, int file, int width, int height, string mime, long bytes, string key)
    {
        // The numbers, the mime's length (("a", "bc") and ("ab", "c") are different outputs), then both texts.
        var size = (5 * sizeof(int)) + sizeof(long) + (2 * (mime.Length + key.Length));
        byte[]? rented = null;
        var buffer = size <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var numbers = MemoryMarshal.Cast<byte, int>(buffer[..(5 * sizeof(int))]);
            (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]) = (path, file, width, height, mime.Length);
            MemoryMarshal.Write(buffer[(5 * sizeof(int))..], bytes);
            var at = (5 * sizeof(int)) + sizeof(long);
            MemoryMarshal.AsBytes(mime.AsSpan()).CopyTo(buffer[at..]);
            MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(buffer[(at + (2 * mime.Length))..]);
            return XxHash3.HashToUInt64(buffer[..size]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The outputs as a collection of known count (the record writes the count before them).</summary>
    private sealed class Written(UpToDateOutputs list, IEnumerable<(int Path, OutputOutcome Outcome)> outcomes, OutputTimeTable times) : IReadOnlyCollection<UpToDateOutput>
    {
        public int Count => list.Count;

        public IEnumerator<UpToDateOutput> GetEnumerator() => list.Enumerate(outcomes, times).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
