using System.Runtime.InteropServices;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// The outputs a new up-to-date record lists, gathered in plan order and read back in path order as the record is
/// written: per output only its path (an id in the build's <see cref="PathPool"/>) and the place of the rest, its item's
/// name among it, in <see cref="ScratchBlocks"/> (16 bytes held, not an object of 112, a path and a name). A build makes
/// the list at its end, when its memory peaks; at a million items it held four million outputs.
/// </summary>
internal sealed class UpToDateOutputList
{
    private readonly PathPool _paths;
    private readonly ScratchBlocks _blocks;
    private readonly List<Entry> _entries;

    /// <param name="manifestFile">The manifest the scratch file goes beside.</param>
    /// <param name="budget">The bytes held in memory before the scratch file is used (the build's, shared by its stores).</param>
    /// <param name="capacity">How many outputs the plan has.</param>
    /// <param name="paths">The build's output paths.</param>
    internal UpToDateOutputList(string manifestFile, ScratchBudget budget, int capacity, PathPool paths)
    {
        _paths = paths;
        _blocks = new ScratchBlocks(manifestFile, "uptodate", budget);
        _entries = new List<Entry>(capacity);
    }

    internal int Count => _entries.Count;

    /// <summary>Adds an output: <paramref name="path"/> as its id in the pool, the rest written to the blocks.</summary>
    internal void Add(string path, string file, string item, int width, int height, string mime, long bytes, string key, long modifiedTicks)
    {
        var sameFile = file == path;
        var size = 1 + (sameFile ? 0 : ScratchWriter.TextSize(file)) + ScratchWriter.TextSize(item) + 4 + 4 + ScratchWriter.TextSize(mime) + 8 + ScratchWriter.KeySize(key) + 8;
        var place = _blocks.Append(size, (File: sameFile ? null : file, item, width, height, mime, bytes, key, modifiedTicks), static (to, o) =>
        {
            var w = new ScratchWriter(to);
            w.Byte(o.File is null ? (byte)0 : (byte)1);
            if (o.File is { } other)
            {
                w.Text(other);
            }
            w.Text(o.item);
            w.Int32(o.width);
            w.Int32(o.height);
            w.Text(o.mime);
            w.Int64(o.bytes);
            w.Key(o.key);
            w.Int64(o.modifiedTicks);
        });
        _entries.Add(new Entry(_paths.Add(path), place));
    }

    /// <summary>The outputs in path order (ordinal), each made when it is read. Sorts the list: add nothing after.</summary>
    internal IReadOnlyList<UpToDateOutput> SortedByPath()
    {
        CollectionsMarshal.AsSpan(_entries).Sort((a, b) => _paths.Compare(a.Path, b.Path));
        return new Primitives.ProjectedList<Entry, UpToDateOutput>(_entries, Read);
    }

    private UpToDateOutput Read(Entry entry)
    {
        var r = new ScratchReader(_blocks.Read(entry.Place));
        var path = _paths.PathOf(entry.Path);
        var file = r.Byte() == 0 ? path : r.Text();
        return new UpToDateOutput(path, file, r.Text(), r.Int32(), r.Int32(), Primitives.SharedStrings.Get(r.Text()), r.Int64(), r.Key()!, r.Int64());
    }

    /// <summary>One output: its path (an id in the pool), and where the rest of it is.</summary>
    private readonly record struct Entry(int Path, ScratchBlocks.Place Place);
}
