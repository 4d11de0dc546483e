using System.Text.Json;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Data;

/// <summary>
/// The field names of one JSON file's items, shared by its rows: the last shape seen is tried first (items of a file
/// are nearly always alike). One per file, dropped with it.
/// </summary>
internal sealed class RowShapes
{
    // Past this many shapes a file's items are not alike: each would hold its own names and index.
    private const int MostShapes = 64;

    private readonly Dictionary<string, FieldNames?> _byNames = new(StringComparer.Ordinal);
    private FieldNames? _last;

    /// <summary>
    /// An item of the file: a <see cref="FieldRow"/> over the names the file's items share, or a dictionary for an
    /// object that names a field twice (the last value wins, as it does in a dictionary) or when the file's items come
    /// in too many shapes to share them.
    /// </summary>
    /// <param name="item">An object.</param>
    /// <param name="values">The file's pool of values that repeat across its items.</param>
    internal IReadOnlyDictionary<string, object?> Row(JsonElement item, SharedStrings values)
    {
        if (For(item) is not { } names)
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

    /// <summary>The names of <paramref name="item"/>'s fields in order, shared with the items before it; null when it names one twice or shapes ran out.</summary>
    private FieldNames? For(JsonElement item)
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
