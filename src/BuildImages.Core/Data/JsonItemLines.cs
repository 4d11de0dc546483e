using System.Text.Json;

namespace BuildImages.Core.Data;

/// <summary>
/// The line each item of a JSON data file starts on, so that an item's errors point into the file (as a CSV row's do)
/// and not only name the item. The parser's document keeps no positions: this reads the file's tokens once more and
/// follows the same dotted items path as <see cref="DataLoader.Follow"/>.
/// </summary>
internal static class JsonItemLines
{
    /// <summary>
    /// The 1-based line of each element of the array at <paramref name="itemsPath"/> (the root array when null), or of
    /// the root itself when <paramref name="rootIsItem"/>; null when there is no such array.
    /// </summary>
    internal static List<int>? Find(ReadOnlySpan<byte> json, string? itemsPath, bool rootIsItem, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(json, options);
        if (!reader.Read())
        {
            return null;
        }
        var lines = new LineCounter();
        if (rootIsItem)
        {
            return [lines.At(json, reader.TokenStartIndex)];
        }
        List<int>? found = null;
        Walk(ref reader, json, string.IsNullOrEmpty(itemsPath) ? [] : itemsPath.Split('.'), 0, ref found, ref lines);
        return found;
    }

    /// <summary>Lines are counted forward from the last offset asked for: offsets come in the file's order, so the file is counted once.</summary>
    internal struct LineCounter
    {
        private long _offset;
        private int _line;

        /// <summary>The 1-based line of the byte at <paramref name="offset"/> (not before the last one asked for).</summary>
        internal int At(ReadOnlySpan<byte> text, long offset)
        {
            _line += text[(int)_offset..(int)offset].Count((byte)'\n');
            _offset = offset;
            return _line + 1;
        }
    }

    // The reader stands on the first token of a value reached by the first `matched` parts of the path.
    private static void Walk(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string[] path, int matched, ref List<int>? found, ref LineCounter lines)
    {
        if (matched == path.Length)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return;
            }
            // A name given twice leads to the last value, as in the dictionary the items are taken from.
            found = [];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                found.Add(lines.At(json, reader.TokenStartIndex));
                reader.Skip();
            }
            return;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var onPath = reader.ValueTextEquals(path[matched]);
            reader.Read();
            if (onPath)
            {
                Walk(ref reader, json, path, matched + 1, ref found, ref lines);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
