using System.Runtime.InteropServices;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// The outputs a new up-to-date record lists, gathered in plan order and read back in path order as the record is
/// written: per output only its path and item name (the plan's strings) and the place of the rest in
/// <see cref="ScratchBlocks"/> (24 bytes held, not an object of 112). A build makes the list at its end, when its memory
/// peaks; at a million items it held four million outputs.
/// </summary>
internal sealed class UpToDateOutputList
{
    private const int StackBytes = 512;

    private readonly ScratchBlocks _blocks;
    private readonly List<Entry> _entries;

    /// <param name="manifestFile">The manifest the scratch file goes beside.</param>
    /// <param name="memoryBudget">Bytes held in memory before the scratch file is used.</param>
    /// <param name="capacity">How many outputs the plan has.</param>
    internal UpToDateOutputList(string manifestFile, long memoryBudget, int capacity)
    {
        _blocks = new ScratchBlocks(manifestFile, "uptodate", memoryBudget);
        _entries = new List<Entry>(capacity);
    }

    internal int Count => _entries.Count;

    internal void Add(UpToDateOutput output)
    {
        var sameFile = ReferenceEquals(output.File, output.Path) || output.File == output.Path;
        var size = 1 + (sameFile ? 0 : ScratchWriter.TextSize(output.File)) + 4 + 4 + ScratchWriter.TextSize(output.Mime) + 8 + ScratchWriter.KeySize(output.Key) + 8;
        var bytes = size <= StackBytes ? stackalloc byte[StackBytes] : new byte[size];
        var w = new ScratchWriter(bytes);
        w.Byte(sameFile ? (byte)0 : (byte)1);
        if (!sameFile)
        {
            w.Text(output.File);
        }
        w.Int32(output.Width);
        w.Int32(output.Height);
        w.Text(output.Mime);
        w.Int64(output.Bytes);
        w.Key(output.Key);
        w.Int64(output.ModifiedTicks);
        _entries.Add(new Entry(output.Path, output.Item, _blocks.Append(bytes[..size])));
    }

    /// <summary>The outputs in path order (ordinal), each made when it is read. Sorts the list: add nothing after.</summary>
    internal IReadOnlyList<UpToDateOutput> SortedByPath()
    {
        CollectionsMarshal.AsSpan(_entries).Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new Primitives.ProjectedList<Entry, UpToDateOutput>(_entries, Read);
    }

    private UpToDateOutput Read(Entry entry)
    {
        var r = new ScratchReader(_blocks.Read(entry.Place));
        var file = r.Byte() == 0 ? entry.Path : r.Text();
        return new UpToDateOutput(entry.Path, file, entry.Item, r.Int32(), r.Int32(), Primitives.SharedStrings.Get(r.Text()), r.Int64(), r.Key()!, r.Int64());
    }

    /// <summary>One output: its path, its item's name, and where the rest of it is.</summary>
    private readonly record struct Entry(string Path, string Item, ScratchBlocks.Place Place);
}
