using System.Text.Json;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Serving;

/// <summary>
/// A publish hook's body → the job's items: one item or an array, found at the mapping's items path, each item's
/// fields picked by the mapping's dotted paths. JSON is read from its UTF-8 bytes with a nesting limit, so a
/// 5,000-deep body is a located error, not a stack overflow. Every item needs a non-empty <c>slug</c>, its id:
/// the id a later <c>DELETE /hooks/{job}/{id}</c> names.
/// </summary>
public static class HookPayload
{
    /// <summary>Nesting deeper than this is refused (CMS payloads are a few levels deep).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }
        Span<char> chars = stackalloc char[256];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == System.Buffers.OperationStatus.InvalidData || status == System.Buffers.OperationStatus.NeedMoreData)
            {
                return offset + read;
            }
            offset += read;
        }
        return null;
    }

    /// <summary>Throws <see cref="CardException"/> (BI0010) naming the body's line and column, or the item without a slug.</summary>
    public static IReadOnlyList<DataItem> Parse(string job, ReadOnlyMemory<byte> utf8, HookMapping mapping)
    {
        var name = $"<hook {job}>";
        if (InvalidUtf8At(utf8.Span) is { } at)
        {
            var before = utf8.Span[..at];
            var line = before.Count((byte)'\n') + 1;
            var column = at - (before.LastIndexOf((byte)'\n') + 1) + 1;
            throw CardException.Error(DiagnosticCodes.DataSyntax, $"the body is not valid UTF-8 (byte 0x{utf8.Span[at]:X2} at offset {at})", name, line, column);
        }
        object? root;
        try
        {
            using var doc = JsonDocument.Parse(utf8, Options);
            root = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Object => ItemData.FromJson(doc.RootElement),
                JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? (object?)ItemData.FromJson(e) : null).ToList(),
                _ => null,
            };
        }
        catch (JsonException ex)
        {
            throw CardException.FromJson(DiagnosticCodes.DataSyntax, ex, name);
        }
        catch (InvalidOperationException)
        {
            // A string System.Text.Json cannot transcode (a lone surrogate escape).
            throw CardException.Error(DiagnosticCodes.DataSyntax, "the body holds a string that is not valid Unicode (a lone surrogate)", name);
        }
        var found = DataLoader.Follow(root, mapping.ItemsPath);
        var list = found switch
        {
            List<object?> many => many,
            Dictionary<string, object?> one => [one],
            _ => throw CardException.Error(DiagnosticCodes.DataSyntax, mapping.ItemsPath is null ? "the body must be an item (a JSON object) or an array of items" : $"the body has no item or array of items at '{mapping.ItemsPath}'", name),
        };
        var items = new List<DataItem>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not Dictionary<string, object?> payload)
            {
                throw CardException.Error(DiagnosticCodes.DataSyntax, $"item {i + 1} is not an object", name);
            }
            var fields = mapping.Fields.Count == 0
                ? payload
                : mapping.Fields.ToDictionary(f => f.Key, f => DataLoader.Follow(payload, f.Value), StringComparer.Ordinal);
            if (!(fields.TryGetValue("slug", out var slug) && slug is string id && id.Length > 0))
            {
                var hint = mapping.Fields.Count == 0 ? "" : " (map one in hooks." + job + ".fields.slug)";
                throw CardException.Error(DiagnosticCodes.DataSyntax, $"item {i + 1} has no 'slug', the item's id{hint}", name);
            }
            items.Add(new DataItem(name, 0, id, fields));
        }
        return items;
    }
}
