using System.Text.Json;

namespace BuildImages.Core.Templates;

/// <summary>Converts JSON to the plain dictionaries and lists items are made of (templates see them as script objects).</summary>
internal static class ItemData
{
    public static Dictionary<string, object?> FromJson(JsonElement element) => FromJson(element, null);

    /// <summary>An item whose string values are taken from <paramref name="values"/> when equal to one it holds (the items of one data file repeat their authors, categories and site names).</summary>
    internal static Dictionary<string, object?> FromJson(JsonElement element, Primitives.SharedStrings? values) =>
        element.ValueKind == JsonValueKind.Object
            ? (Dictionary<string, object?>)Convert(element, values)!
            : throw new ArgumentException("an item must be a JSON object", nameof(element));

    public static Dictionary<string, object?> FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    /// <summary>One JSON value as items hold it: objects as dictionaries, arrays as lists, strings (shared through <paramref name="values"/> when given), longs or doubles, booleans, null.</summary>
    internal static object? Value(JsonElement e, Primitives.SharedStrings? values) => Convert(e, values);

    private static object? Convert(JsonElement e, Primitives.SharedStrings? values) => e.ValueKind switch
    {
        JsonValueKind.Object => Object(e, values),
        JsonValueKind.Array => Array(e, values),
        JsonValueKind.String => values is null ? e.GetString() : values.Share(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // Plain loops: data files hold thousands of items and this runs on the no-op path.
    private static Dictionary<string, object?> Object(JsonElement e, Primitives.SharedStrings? values)
    {
        // Sized to the fields: grown one at a time, a dictionary of eight fields had room for seventeen.
        var map = new Dictionary<string, object?>(e.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            // Every item of a file names the same fields: one instance of each name, not one per item.
            map[Primitives.SharedStrings.Get(p.Name)] = Convert(p.Value, values);
        }
        return map;
    }

    private static List<object?> Array(JsonElement e, Primitives.SharedStrings? values)
    {
        var list = new List<object?>(e.GetArrayLength());
        foreach (var item in e.EnumerateArray())
        {
            list.Add(Convert(item, values));
        }
        return list;
    }
}
