using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Serving;

/// <summary>
/// A hook's request → what it asks of the job: publish these items, unpublish these ids, or nothing (an event the job
/// does not act on). JSON is read from its UTF-8 bytes with a nesting limit, so a 5,000-deep body is a located error,
/// not a stack overflow. Every item needs an id: the mapping's id path (a CMS's stable id, <c>sys.id</c>), else its
/// <c>slug</c>; the id is what a later unpublish, or <c>DELETE /hooks/{job}/{id}</c>, names.
/// </summary>
public static class HookPayload
{
    /// <summary>Nesting deeper than this is refused (CMS payloads are a few levels deep).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// What a hook request asks: its event (from the header or body path the mapping names) decides publish, unpublish
    /// or ignore; the items are found at the mapping's items path, each with its id (the mapping's id paths, first found
    /// wins, else its slug) and, for a publish, its fields. A tombstone (an unpublish's body, often only an id) needs no
    /// fields. Throws <see cref="BuildInputException"/> (BI0010) naming the body's line and column, the missing event, or the
    /// item without an id.
    /// </summary>
    /// <param name="job">The job the hook is for (names the body in messages).</param>
    /// <param name="utf8">The request body.</param>
    /// <param name="mapping">The job's hook mapping.</param>
    /// <param name="header">A request header's value by name, or null when it is absent.</param>
    public static HookMessage Read(string job, ReadOnlyMemory<byte> utf8, HookMapping mapping, Func<string, string?> header)
    {
        var name = $"<hook {job}>";
        var root = Document(utf8, name);
        var (action, eventName) = Action(mapping, root, header, name, job);
        if (action == HookAction.Ignore)
        {
            return new HookMessage(action, eventName, []);
        }
        var found = DataLoader.Follow(root, mapping.ItemsPath);
        var list = found switch
        {
            List<object?> many => many,
            Dictionary<string, object?> one => [one],
            _ => throw BuildInputException.Error(DiagnosticCodes.DataSyntax, mapping.ItemsPath is null ? "the body must be an item (a JSON object) or an array of items" : $"the body has no item or array of items at '{mapping.ItemsPath}'", name),
        };
        var items = new List<DataItem>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not Dictionary<string, object?> payload)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"item {i + 1} is not an object", name);
            }
            var fields = action == HookAction.Unpublish || mapping.Fields.Count == 0
                ? payload
                : mapping.Fields.ToDictionary(f => f.Key, f => DataLoader.Follow(payload, f.Value), StringComparer.Ordinal);
            var id = Id(mapping.IdPath, payload, header) ?? (fields.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? s : null);
            if (id is null)
            {
                var where = mapping.IdPath is null ? "" : $" at '{mapping.IdPath}' and";
                var hint = mapping.Fields.Count == 0 || mapping.IdPath is not null ? "" : " (map one in hooks." + job + ".fields.slug, or name the id with hooks." + job + ".id)";
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"item {i + 1} has no id{where} no 'slug'{hint}", name);
            }
            items.Add(new DataItem(name, 0, id, fields));
        }
        return new HookMessage(action, eventName, items);
    }

    private static object? Document(ReadOnlyMemory<byte> utf8, string name)
    {
        if (Primitives.Utf8Text.FirstInvalid(utf8.Span) is { } at)
        {
            var (line, column) = Primitives.Utf8Text.Position(utf8.Span, at);
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"the body is not valid UTF-8 (byte 0x{utf8.Span[at]:X2} at offset {at})", name, line, column);
        }
        if (utf8.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            // A tombstone may come without a body (Sanity's delete with an empty projection): its id is in a header.
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        try
        {
            using var doc = JsonDocument.Parse(utf8, Options);
            return doc.RootElement.ValueKind switch
            {
                JsonValueKind.Object => ItemData.FromJson(doc.RootElement),
                JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? (object?)ItemData.FromJson(e) : null).ToList(),
                _ => null,
            };
        }
        catch (JsonException ex)
        {
            throw BuildInputException.FromJson(DiagnosticCodes.DataSyntax, ex, name);
        }
        catch (InvalidOperationException)
        {
            // A string System.Text.Json cannot transcode (a lone surrogate escape).
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "the body holds a string that is not valid Unicode (a lone surrogate)", name);
        }
    }

    /// <summary>The event the request names and what it means for this job; no event source: every request publishes.</summary>
    private static (HookAction Action, string? Event) Action(HookMapping mapping, object? root, Func<string, string?> header, string name, string job)
    {
        if (mapping.Event is not { } source)
        {
            return (HookAction.Publish, null);
        }
        var eventName = source.Header is { } h ? header(h) : DataLoader.Follow(root, source.BodyPath) as string;
        if (string.IsNullOrEmpty(eventName))
        {
            var where = source.Header is { } missing ? $"no '{missing}' header" : $"no event at '{source.BodyPath}' in the body";
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"the request has {where}, which names what happened (hooks.{job}.event)", name);
        }
        if (mapping.UnpublishEvents.Contains(eventName, StringComparer.Ordinal))
        {
            return (HookAction.Unpublish, eventName);
        }
        return (mapping.PublishEvents.Count == 0 || mapping.PublishEvents.Contains(eventName, StringComparer.Ordinal) ? HookAction.Publish : HookAction.Ignore, eventName);
    }

    /// <summary>The first of the comma-separated id paths that has a value: a dotted path in the item, or <c>header:NAME</c>.</summary>
    private static string? Id(string? idPaths, Dictionary<string, object?> payload, Func<string, string?> header)
    {
        if (idPaths is null)
        {
            return null;
        }
        foreach (var path in idPaths.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var value = path.StartsWith("header:", StringComparison.Ordinal) ? header(path[7..]) : DataLoader.Follow(payload, path);
            var text = value switch
            {
                string s => s,
                long or int or decimal or double => Convert.ToString(value, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (!string.IsNullOrEmpty(text))
            {
                return text;
            }
        }
        return null;
    }
}
