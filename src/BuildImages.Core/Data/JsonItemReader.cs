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
        if (json.Span.StartsWith(Utf8Text.ByteOrderMark))
        {
            json = json[Utf8Text.ByteOrderMark.Length..];
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
            items.Add(value.ValueKind == JsonValueKind.Object ? shapes.Row(value, values) : value.ToString());
        }
        // Anything but comments after the array is an error, as it is for a document of the whole file.
        while (reader.Read())
        {
        }
        return (items, lines);
    }

    /// <summary>Item i's line, or 0 (no line known) when the lines were not found.</summary>
    private static Func<int, int> LineOf(List<int>? lines) => i => lines is not null && i < lines.Count ? lines[i] : 0;

    internal static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    internal static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
}
