using System.Text.Json;
using System.Text;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Data;

internal static class JsonItemReader
{
    /// <param name="file">Names the file in messages.</param>
    /// <param name="text">The JSON.</param>
    /// <param name="itemsPath">Dotted path to the item array inside an object root.</param>
    /// <param name="objectIsItem">An object root without an items path is one item (a CMS hook posting one entry).</param>
    internal static List<DataItem> Read(string file, string text, string? itemsPath, bool objectIsItem = false) =>
        Read(file, Encoding.UTF8.GetBytes(text), itemsPath, objectIsItem);

    /// <summary>Parses UTF-8 as read from the file: no UTF-16 copy of the whole text (a 100 MB data file would hold 200 MB more).</summary>
    internal static List<DataItem> Read(string file, byte[] utf8, string? itemsPath, bool objectIsItem = false)
    {
        Utf8Text.Check(utf8, file, DiagnosticCodes.DataSyntax);
        var json = utf8.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }
        try
        {
            if (ArrayItems(json.Span) is var (items, itemLines))
            {
                return DataLoader.FromList(file, items, itemsPath, LineOf(itemLines));
            }
            using var doc = JsonDocument.Parse(json, DocumentOptions);
            var rootIsItem = doc.RootElement.ValueKind == JsonValueKind.Object && objectIsItem && itemsPath is null;
            object? root = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? (object?)ItemData.FromJson(e) : e.ToString()).ToList(),
                JsonValueKind.Object when rootIsItem => new List<object?> { ItemData.FromJson(doc.RootElement) },
                JsonValueKind.Object => ItemData.FromJson(doc.RootElement),
                _ => null,
            };
            return DataLoader.FromList(file, root, itemsPath, LineOf(JsonItemLines.Find(json.Span, itemsPath, rootIsItem, ReaderOptions)));
        }
        catch (JsonException ex)
        {
            throw BuildInputException.FromJson(DiagnosticCodes.DataSyntax, ex, file);
        }
        catch (InvalidOperationException) when (LoneSurrogateLocator.Find(json.Span, ReaderOptions) is var (line, column))
        {
            // Found only when a string is read, so looked for only then: the common path reads the text once.
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, LoneSurrogateLocator.Message, file, line, column);
        }
    }

    /// <summary>
    /// The items of a root array, each parsed on its own as the reader passes it; null when the root is not an array. A
    /// document of the whole file rents a token table about the file's size from the shared array pool, which keeps it
    /// for reuse after the document is gone. Errors carry the same line and column. Each item's line is counted as it is
    /// passed.
    /// </summary>
    private static (List<object?> Items, List<int> Lines)? ArrayItems(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }
        var items = new List<object?>();
        var lines = new List<int>();
        var counter = new JsonItemLines.LineCounter();
        // Values that repeat across the items (an author, a category, a site name) held once; a pool per file, dropped with it.
        var values = new SharedStrings(SharedStrings.DefaultCapacity);
        var shapes = new RowShapes();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            lines.Add(counter.At(json, reader.TokenStartIndex));
            using var element = JsonDocument.ParseValue(ref reader);
            var value = element.RootElement;
            items.Add(value.ValueKind == JsonValueKind.Object ? Row(value, values, shapes) : value.ToString());
        }
        // Anything but comments after the array is an error, as it is for a document of the whole file.
        while (reader.Read())
        {
        }
        return (items, lines);
    }

    /// <summary>Item i's line, or 0 (no line known) when the lines were not found.</summary>
    private static Func<int, int> LineOf(List<int>? lines) => i => lines is not null && i < lines.Count ? lines[i] : 0;

    /// <summary>
    /// An item of a root array: a <see cref="FieldRow"/> over the names the file's items share, or a dictionary for an
    /// object that names a field twice (the last value wins, as it does in a dictionary) or when the file's items come
    /// in too many shapes to share them.
    /// </summary>
    private static IReadOnlyDictionary<string, object?> Row(JsonElement item, SharedStrings values, RowShapes shapes)
    {
        if (shapes.For(item) is not { } names)
        {
            return ItemData.FromJson(item, values);
        }
        var row = new object?[names.Names.Length];
        var i = 0;
        foreach (var p in item.EnumerateObject())
        {
            row[i++] = ItemData.Value(p.Value, values);
        }
        return new FieldRow(names, row);
    }

    /// <summary>The field names of one file's items: the last shape seen is tried first (items of a file are nearly always alike).</summary>
    private sealed class RowShapes
    {
        // Past this many shapes a file's items are not alike: each would hold its own names and index.
        private const int MostShapes = 64;

        private readonly Dictionary<string, FieldNames?> _byNames = new(StringComparer.Ordinal);
        private FieldNames? _last;

        /// <summary>The names of <paramref name="item"/>'s fields in order, shared with the items before it; null when it names one twice or shapes ran out.</summary>
        internal FieldNames? For(JsonElement item)
        {
            if (_last is { } last && Same(item, last.Names))
            {
                return last;
            }
            var names = new string[item.GetPropertyCount()];
            var i = 0;
            foreach (var p in item.EnumerateObject())
            {
                names[i++] = SharedStrings.Get(p.Name);
            }
            var key = string.Join('\n', names);
            if (!_byNames.TryGetValue(key, out var shape))
            {
                if (_byNames.Count >= MostShapes)
                {
                    return null;
                }
                shape = names.Distinct(StringComparer.Ordinal).Count() == names.Length ? new FieldNames(names) : null;
                _byNames.Add(key, shape);
            }
            _last = shape ?? _last;
            return shape;
        }

        private static bool Same(JsonElement item, string[] names)
        {
            if (item.GetPropertyCount() != names.Length)
            {
                return false;
            }
            var i = 0;
            foreach (var p in item.EnumerateObject())
            {
                if (!p.NameEquals(names[i++]))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
}
