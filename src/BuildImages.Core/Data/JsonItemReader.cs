using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Data;

internal static class JsonItemReader
{
    /// <param name="file">Names the file in messages.</param>
    /// <param name="text">The JSON.</param>
    /// <param name="itemsPath">Dotted path to the item array inside an object root.</param>
    /// <param name="objectIsItem">An object root without an items path is one item (a CMS hook posting one entry).</param>
    internal static List<DataItem> Read(string file, string text, string? itemsPath, bool objectIsItem = false)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            object? root = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? (object?)ItemData.FromJson(e) : e.ToString()).ToList(),
                JsonValueKind.Object when objectIsItem && itemsPath is null => new List<object?> { ItemData.FromJson(doc.RootElement) },
                JsonValueKind.Object => ItemData.FromJson(doc.RootElement),
                _ => null,
            };
            return DataLoader.FromList(file, root, itemsPath, _ => 0);
        }
        catch (JsonException ex)
        {
            throw CardException.FromJson(DiagnosticCodes.DataSyntax, ex, file);
        }
    }
}
