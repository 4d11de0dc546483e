using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Build;

/// <summary>
/// The files that stale outputs name, each held as a 128-bit hash of its name as the output folder may compare it
/// (upper-cased: on Windows and macOS two names differing in case are one file). Added while the stale outputs are
/// found, then sealed (sorted once), then struck off where another output still names them; what is left goes. A
/// sorted array and a bit each, where a hash set of the same hashes was about twice the bytes (pruning half of a
/// million items held 2,000,000). Two names with one hash are taken for one file: it is kept, never deleted wrongly.
/// Not thread-safe.
/// </summary>
internal sealed class StaleFiles
{
    private readonly List<UInt128> _added = [];
    private UInt128[] _sorted = [];
    private System.Collections.BitArray _struck = new(0);

    /// <summary>Whether no file was added.</summary>
    internal bool IsEmpty => _added.Count == 0 && _sorted.Length == 0;

    /// <summary>Adds <paramref name="file"/> (before <see cref="Seal"/>).</summary>
    internal void Add(string file) => _added.Add(Hash(file));

    /// <summary>Sorts what was added, once; <see cref="Strike"/> and <see cref="Goes"/> come after.</summary>
    internal void Seal()
    {
        var hashes = CollectionsMarshal.AsSpan(_added);
        hashes.Sort();
        var distinct = 0;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (i == 0 || hashes[i] != hashes[distinct - 1])
            {
                hashes[distinct++] = hashes[i];
            }
        }
        _sorted = hashes[..distinct].ToArray();
        _added.Clear();
        _added.TrimExcess();
        _struck = new System.Collections.BitArray(_sorted.Length);
    }

    /// <summary>Keeps <paramref name="file"/>: another output names it.</summary>
    internal void Strike(string file)
    {
        var at = Array.BinarySearch(_sorted, Hash(file));
        if (at >= 0)
        {
            _struck[at] = true;
        }
    }

    /// <summary>Whether <paramref name="file"/> was added and not struck off.</summary>
    internal bool Goes(string file)
    {
        var at = Array.BinarySearch(_sorted, Hash(file));
        return at >= 0 && !_struck[at];
    }

    // Upper-cased on the stack for a name of 256 characters or fewer: the strike pass hashes every output of the site, and
    // a string each was as many allocations.
    private static UInt128 Hash(string file)
    {
        Span<char> upper = file.Length <= 256 ? stackalloc char[file.Length] : new char[file.Length];
        file.AsSpan().ToUpperInvariant(upper);
        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes((ReadOnlySpan<char>)upper));
    }
}
