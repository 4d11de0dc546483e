using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Data;

/// <summary>
/// A JSON data file whose root is an array of items, read a block of items at a time (<see cref="JsonBlocks"/>): a
/// batch build plans each block as it comes, so neither the file's bytes nor its unplanned items are held whole. At a
/// million items they were 260 MB and about 350 MB, held at once at the end of planning, the build's peak then.
/// </summary>
/// <remarks>
/// The whole-file reader (<see cref="JsonItemReader"/>) stays the reference: any other root, an items path, and any
/// file this reader refuses (a syntax error, bytes that are not UTF-8, an item that is not an object, a lone
/// surrogate) are read by it, so an error names the same line and column and says the same thing whichever reader
/// met it first. Only a malformed file is read twice.
/// </remarks>
internal sealed class JsonItemStream
{
    /// <summary>Items handed on at once: enough to plan in parallel, few enough to be a few megabytes.</summary>
    internal const int BlockItems = 4096;

    private readonly string _file;
    private readonly JsonBlocks _blocks;
    private readonly SharedStrings _values = new(SharedStrings.DefaultCapacity);
    private readonly RowShapes _shapes = new();
    private int _count;

    private JsonItemStream(string file, Stream stream, int firstBlock)
    {
        _file = file;
        _blocks = new JsonBlocks(stream, firstBlock, checksText: true);
    }

    /// <summary>
    /// Hands <paramref name="take"/> the items of <paramref name="file"/>, at most <paramref name="blockItems"/> at a
    /// time, in the file's order. A malformed file throws its <see cref="BuildInputException"/>, possibly after some
    /// blocks were taken: those items are then not the file's (the caller drops them).
    /// </summary>
    /// <param name="file">The data file.</param>
    /// <param name="itemsPath">The dotted path to the items in an object root (read whole), or null.</param>
    /// <param name="take">Takes each block of items.</param>
    /// <param name="blockItems">The most items in a block.</param>
    /// <param name="firstBlock">The bytes read at once to begin with (tests make it small, to cut items and characters).</param>
    internal static void Read(string file, string? itemsPath, Action<IReadOnlyList<DataItem>> take, int blockItems = BlockItems, int firstBlock = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockItems, 1);
        if (!string.IsNullOrEmpty(itemsPath))
        {
            take(JsonItemReader.Read(file, File.ReadAllBytes(file), itemsPath));
            return;
        }
        var given = 0;
        using (var stream = Open(file))
        {
            // A small file (one of many in a folder, say) is read in one block of its own size, not a 64 KB one.
            var items = new JsonItemStream(file, stream, (int)Math.Clamp(stream.Length - stream.Position + 1, 1, firstBlock));
            var reader = items._blocks.Start(JsonItemReader.ReaderOptions);
            if (items.Begin(ref reader))
            {
                while (items.NextBlock(ref reader, blockItems) is ({ } block, var end))
                {
                    // The items are taken outside the reading's catch: what the taker throws is its own.
                    if (block.Count > 0)
                    {
                        given += block.Count;
                        take(block);
                    }
                    if (end)
                    {
                        return;
                    }
                }
            }
        }
        // Throws the file's error, located as it always was.
        var whole = JsonItemReader.Read(file, File.ReadAllBytes(file), itemsPath);
        if (given > 0)
        {
            // Refused part way but read whole: the file was written in place while it was read (an editor that does not
            // write a new file and rename it). Neither reading is the file's.
            throw DataLoader.ChangedWhileRead(file);
        }
        take(whole);
    }

    private static FileStream Open(string file)
    {
        // No buffer of the stream's own: the blocks are the buffer.
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            Span<byte> start = stackalloc byte[3];
            if (stream.ReadAtLeast(start, 3, throwOnEndOfStream: false) < 3 || !start.SequenceEqual(Utf8Text.ByteOrderMark))
            {
                stream.Position = 0;
            }
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads to the root array's start; false when the root is not an array or cannot be read.</summary>
    private bool Begin(ref Utf8JsonReader reader)
    {
        try
        {
            return _blocks.Read(ref reader) && reader.TokenType == JsonTokenType.StartArray;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The next items (at most <paramref name="most"/>) and whether the file ends after them; a null block when the file
    /// is refused (the whole-file reader then reads it and says why).
    /// </summary>
    private (List<DataItem>? Items, bool End) NextBlock(ref Utf8JsonReader reader, int most)
    {
        try
        {
            var items = new List<DataItem>(Math.Min(most, 1024));
            while (items.Count < most && _blocks.Object(ref reader) is { } bytes)
            {
                var line = _blocks.LineOfObject();
                using var item = JsonDocument.Parse(bytes, JsonItemReader.DocumentOptions);
                var fields = _shapes.Row(item.RootElement, _values);
                items.Add(new DataItem(_file, line, DataLoader.IdOf(fields, _count), fields));
                _count++;
            }
            if (items.Count == most)
            {
                return (items, false);
            }
            // The reader stopped at a token that is not an object: the array's end, after which only comments may
            // follow (any token is an error), or an item that is not an object (an error the whole-file reader names).
            if (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != 0 || _blocks.Read(ref reader) || !_blocks.AllUtf8())
            {
                return (null, true);
            }
            return (items, true);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A syntax error, or a string that cannot be decoded (a lone surrogate): the whole-file reader locates it.
            return (null, true);
        }
    }
}
