using BuildImages.Core.Primitives;

namespace BuildImages.Core.Data;

/// <summary>
/// Where a batch build keeps its items' fields once planning is done with them: encoded (<see cref="FieldCodec"/>) in
/// scratch blocks, in memory up to a budget and then in a nameless scratch file beside the manifest. A build reads an
/// item's fields again only to render it or record it, and keeps the plan to its end: held as read, the fields of a
/// million items were about 340 MB of the plan. Thread-safe; every item is kept before any is read.
/// </summary>
internal sealed class FieldStore
{
    private readonly ScratchBlocks _blocks;
    private volatile bool _reading;

    /// <param name="besideFile">The file the scratch file goes beside (the manifest); null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="memoryBudget">Bytes held in memory before the file is used.</param>
    internal FieldStore(string? besideFile, long memoryBudget)
        : this(besideFile, new ScratchBudget(memoryBudget))
    {
    }

    /// <param name="besideFile">The file the scratch file goes beside (the manifest); null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    internal FieldStore(string? besideFile, ScratchBudget budget)
    {
        // A site's first build plans before its output folder (where the manifest usually is) exists: the render makes
        // it. The fields' file needs it sooner, so it is made then (a build that then fails in planning leaves it empty).
        _blocks = new ScratchBlocks(besideFile, "fields", budget, makeFolder: true);
    }

    /// <summary>Whether a scratch file holds some of the fields (for tests).</summary>
    internal bool UsesFile => _blocks.UsesFile;

    /// <summary>The item with its fields kept here; the item as it is when they cannot be encoded exactly.</summary>
    internal DataItem Keep(DataItem item)
    {
        // The blocks' reads are views of a block that a later append may reuse: keeping ends when reading starts.
        if (_reading)
        {
            throw new InvalidOperationException("an item's fields were kept after the store's were read");
        }
        if (item.Fields is StoredFields || FieldCodec.Size(item.Fields) is not { } size)
        {
            return item;
        }
        var place = _blocks.Append(size, item.Fields, static (to, fields) => FieldCodec.Write(to, fields));
        return item with { Fields = new StoredFields(this, place, item.Fields.Count) };
    }

    /// <summary>The fields kept at <paramref name="place"/>, decoded anew.</summary>
    internal Dictionary<string, object?> Read(ScratchBlocks.Place place)
    {
        _reading = true;
        return FieldCodec.Read(_blocks.Read(place));
    }
}
