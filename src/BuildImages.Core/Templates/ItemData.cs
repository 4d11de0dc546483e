using System.Text.Json;

namespace BuildImages.Core.Templates;

/// <summary>Converts JSON to the plain dictionaries and lists items are made of (templates see them as script objects).</summary>
internal static class ItemData
{
    public static Dictionary<string, object?> FromJson(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? (Dictionary<string, object?>)Convert(element)!
            : throw new ArgumentException("an item must be a JSON object", nameof(element));

    public static Dictionary<string, object?> FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    private static object? Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => Object(e),
        JsonValueKind.Array => Array(e),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // Plain loops: data files hold thousands of items and this runs on the no-op path.
    private static Dictionary<string, object?> Object(JsonElement e)
    {
        // Sized to the fields: grown one at a time, a dictionary of nine fields had room for seventeen (200 bytes an item).
        var map = new Dictionary<string, object?>(e.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            // Every item of a file names the same fields: one instance of each name, not one per item.
            map[Primitives.SharedStrings.Get(p.Name)] = Convert(p.Value);
        }
        return map;
    }

    private static List<object?> Array(JsonElement e)
    {
        var list = new List<object?>(e.GetArrayLength());
        foreach (var item in e.EnumerateArray())
        {
            list.Add(Convert(item));
        }
        return list;
    }
}
