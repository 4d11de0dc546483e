using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Data;

internal static class JsonItemReader
{
    internal static List<DataItem> Read(string file, string text, string? itemsPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            object? root = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? (object?)ItemData.FromJson(e) : e.ToString()).ToList(),
                JsonValueKind.Object => ItemData.FromJson(doc.RootElement),
                _ => null,
            };
            return DataLoader.FromList(file, root, itemsPath, _ => 0);
        }
        catch (JsonException ex)
        {
            throw CardException.Error(DiagnosticCodes.DataSyntax, "invalid JSON: " + ex.Message.Split(" LineNumber:")[0].Split(" Path:")[0], file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
        }
    }
}
