using System.Buffers;
using System.Text;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BuildImages.Core.Data;

/// <summary>
/// A YAML data file whose root is a sequence of items, read an item at a time and handed on a block at a time, as the
/// JSON and CSV streams are: neither the file's text nor its unplanned items are held whole. Read whole, a YAML file
/// stopped at a million values (the guard against aliases that expand, <see cref="YamlItemReader.MaxValues"/>), about a
/// hundred thousand items.
/// </summary>
/// <remarks>
/// Each item is built with the whole-file reader's rules. A file with a <c>*</c> in it (which may be an alias, which
/// may name an anchor in an earlier item) is first parsed without building anything, to see it is UTF-8, well formed,
/// one document whose root is a sequence, and without aliases; a file without one is parsed once. Any other file (an
/// items path, another root, an alias, a syntax error, bytes that are not UTF-8) is read whole by
/// <see cref="YamlItemReader"/>, the reference, so an error names the same line and column and says the same thing;
/// one found part way drops the items already handed on (the caller drops them). Without aliases a file's values are
/// its nodes: nothing expands, and no count limits it.
/// </remarks>
internal static class YamlItemStream
{
    /// <summary>
    /// Hands <paramref name="take"/> the items of <paramref name="file"/>, at most <paramref name="blockItems"/> at a
    /// time, in the file's order. A malformed file throws its <see cref="BuildInputException"/>, possibly after some
    /// blocks were taken: those items are then not the file's (the caller drops them).
    /// </summary>
    internal static void Read(string file, string? itemsPath, Action<IReadOnlyList<DataItem>> take, int blockItems = JsonItemStream.BlockItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockItems, 1);
        if (string.IsNullOrEmpty(itemsPath) && (!MayHoldAlias(file) || Streamable(file)))
        {
            var given = 0;
            if (Stream(file, blocks => { given += blocks.Count; take(blocks); }, blockItems))
            {
                return;
            }
            // Refused by the second pass: read whole, which says why; if it does not, the file changed between them.
            var whole = Whole(file, itemsPath: null);
            if (given > 0)
            {
                throw DataLoader.ChangedWhileRead(file);
            }
            take(whole);
            return;
        }
        take(Whole(file, itemsPath));
    }

    /// <summary>
    /// Whether the file has a <c>*</c> anywhere, which every alias starts with (a byte of its own in UTF-8): a file
    /// without one needs no first pass, and is parsed once. A million items parsed twice took 76 s to plan.
    /// </summary>
    private static bool MayHoldAlias(string file)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, 1 << 16)) > 0)
            {
                if (buffer.AsSpan(0, read).Contains((byte)'*'))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<DataItem> Whole(string file, string? itemsPath) =>
        YamlItemReader.Read(file, Utf8Text.Read(file, DiagnosticCodes.DataSyntax), itemsPath);

    /// <summary>The first pass: whether the file is UTF-8 and well formed, one document whose root is a sequence with no alias in it.</summary>
    private static bool Streamable(string file)
    {
        try
        {
            using var text = Open(file);
            var parser = new Parser(text);
            if (!parser.TryConsume<StreamStart>(out _) || !parser.TryConsume<DocumentStart>(out _) || !parser.Accept<SequenceStart>(out _))
            {
                return false;
            }
            var depth = 0;
            do
            {
                switch (parser.Current)
                {
                    case AnchorAlias:
                        return false;
                    case SequenceStart or MappingStart:
                        depth++;
                        break;
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
            while (depth > 0 && parser.MoveNext());
            // One document, then the end: a second is left to the whole-file reader (which may look into it).
            return depth == 0 && parser.MoveNext() && parser.Current is DocumentEnd && parser.MoveNext() && parser.Current is StreamEnd;
        }
        catch (Exception ex) when (ex is YamlException or DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The second pass: the items, a block at a time; false (the rest not taken) when one cannot be read as the whole-file reader would.</summary>
    private static bool Stream(string file, Action<IReadOnlyList<DataItem>> take, int blockItems)
    {
        using var text = Open(file);
        var items = new Items(file, new Parser(text));
        while (items.Next(blockItems) is ({ } block, var end))
        {
            // Taken outside the reading's catch: what the taker throws is its own.
            if (block.Count > 0)
            {
                take(block);
            }
            if (end)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The items of a file's root sequence, read from its parser a block at a time.</summary>
    private sealed class Items(string file, Parser parser)
    {
        private readonly YamlItemReader.ItemParser _item = new(file);
        private int _count = -1;

        /// <summary>
        /// The next items (at most <paramref name="most"/>) and whether the file ends after them; a null block when one
        /// cannot be read as the whole-file reader would (it then reads the file and says why).
        /// </summary>
        internal (List<DataItem>? Items, bool End) Next(int most)
        {
            try
            {
                if (_count < 0)
                {
                    parser.Consume<StreamStart>();
                    parser.Consume<DocumentStart>();
                    parser.Consume<SequenceStart>();
                    _count = 0;
                }
                var items = new List<DataItem>(Math.Min(most, 1024));
                while (items.Count < most)
                {
                    if (parser.TryConsume<SequenceEnd>(out _))
                    {
                        // One document, then the end (a file without the first pass is checked here): the whole-file
                        // reader refuses a second document, and says why.
                        parser.Consume<DocumentEnd>();
                        return parser.Accept<StreamEnd>(out _) ? (items, true) : (null, true);
                    }
                    var line = (int)parser.Current!.Start.Line;
                    if (_item.Next(parser) is not IReadOnlyDictionary<string, object?> fields)
                    {
                        return (null, true);
                    }
                    items.Add(new DataItem(file, line, DataLoader.IdOf(fields, _count++), fields));
                }
                return (items, false);
            }
            catch (Exception ex) when (ex is YamlException or DecoderFallbackException or BuildInputException)
            {
                return (null, true);
            }
        }
    }

    private static StreamReader Open(string file) =>
        // Decoding that throws (a file that is not UTF-8 is read whole to say where); a byte order mark skipped.
        new(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, 1 << 16);
}
