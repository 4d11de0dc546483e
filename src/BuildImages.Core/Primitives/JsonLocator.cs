using System.Text.Json;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Line and column of every value in a JSON text, by JSON pointer ("/jobs/0/variants/1/width"), because
/// JsonDocument keeps no positions and a configuration error must name where it is.
/// </summary>
internal sealed class JsonLocator
{
    private readonly Dictionary<string, JsonLocation> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonLocation> _names = new(StringComparer.Ordinal);

    internal JsonLocator(byte[] utf8, JsonReaderOptions options)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        JsonLocation At(long offset)
        {
            var line = lineStarts.BinarySearch((int)offset);
            line = line >= 0 ? line : ~line - 1;
            // Columns count characters, not bytes, so non-ASCII names before the error do not shift it.
            var column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], (int)offset - lineStarts[line]) + 1;
            return new JsonLocation(line + 1, column);
        }

        var reader = new Utf8JsonReader(utf8, options);
        var path = new List<string>();
        var frames = new Stack<Frame>();
        string? pendingName = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Comment:
                    break;
                case JsonTokenType.PropertyName:
                    pendingName = Segment(reader.GetString()!);
                    _names[Pointer(path) + "/" + pendingName] = At(reader.TokenStartIndex);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    if (frames.Count > 0)
                    {
                        path.RemoveAt(path.Count - 1);
                    }
                    break;
                default:
                    string? segment = null;
                    if (frames.Count > 0)
                    {
                        var top = frames.Peek();
                        segment = top.IsArray ? top.Next++.ToString(System.Globalization.CultureInfo.InvariantCulture) : pendingName;
                    }
                    var pointer = segment is null ? string.Empty : Pointer(path) + "/" + segment;
                    _values[pointer] = At(reader.TokenStartIndex);
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        if (segment is not null)
                        {
                            path.Add(segment);
                        }
                        frames.Push(new Frame(reader.TokenType == JsonTokenType.StartArray));
                    }
                    break;
            }
        }
    }

    /// <summary>A property name as a JSON pointer segment ('~' and '/' escaped).</summary>
    internal static string Segment(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private sealed class Frame(bool isArray)
    {
        internal bool IsArray { get; } = isArray;

        internal int Next { get; set; }
    }

    /// <summary>Where the value at a pointer starts (or its nearest located parent).</summary>
    internal JsonLocation Value(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (_values.TryGetValue(p, out var at))
            {
                return at;
            }
            if (p.Length == 0)
            {
                return new JsonLocation(1, 1);
            }
        }
    }

    /// <summary>Where a property's name is (for "unknown property" errors).</summary>
    internal JsonLocation Name(string pointer) => _names.TryGetValue(pointer, out var at) ? at : Value(pointer);

    /// <summary>The pointer of the value or property name that starts at a location (what an error there is about), or null.</summary>
    internal string? PointerAt(JsonLocation at) =>
        _values.FirstOrDefault(v => v.Value == at).Key ?? _names.FirstOrDefault(n => n.Value == at).Key;

    private static string Pointer(IEnumerable<string> parts) => string.Concat(parts.Select(p => "/" + p));
}
