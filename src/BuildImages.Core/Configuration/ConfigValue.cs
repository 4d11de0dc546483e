using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Configuration;

/// <summary>
/// A configuration value and the place it was written: read from buildimages.json, or made by a front from something
/// else the user wrote (the MSBuild package makes jobs from its items' metadata, each value at its attribute in the
/// project file). Both are read by the same loader, so they get the same checks, and a mistake is reported at its own
/// place without the front putting it back.
/// </summary>
public sealed class ConfigValue
{
    private readonly JsonElement _element;
    private readonly string? _pointer;
    private readonly JsonConfigText? _json;
    private readonly ConfigKind _kind;
    private readonly string? _text;
    private readonly IReadOnlyList<ConfigValue> _items = [];
    private readonly IReadOnlyList<KeyValuePair<string, ConfigValue>> _properties = [];
    private readonly SourceLocation _at;

    private ConfigValue(JsonElement element, string pointer, JsonConfigText json)
    {
        _element = element;
        _pointer = pointer;
        _json = json;
        _kind = element.ValueKind switch
        {
            JsonValueKind.String => ConfigKind.String,
            JsonValueKind.Number => ConfigKind.Number,
            JsonValueKind.True or JsonValueKind.False => ConfigKind.Boolean,
            JsonValueKind.Array => ConfigKind.Array,
            JsonValueKind.Object => ConfigKind.Object,
            _ => ConfigKind.Null,
        };
    }

    private ConfigValue(ConfigKind kind, string? text, IReadOnlyList<ConfigValue>? items, IReadOnlyList<KeyValuePair<string, ConfigValue>>? properties, SourceLocation at)
    {
        _kind = kind;
        _text = text;
        _items = items ?? [];
        _properties = properties ?? [];
        _at = at;
    }

    /// <summary>
    /// Text written where values have no types (MSBuild metadata): it reads as a string where the configuration wants
    /// a string, and as a number or true/false where it wants one of those (an error naming the text when it is not).
    /// </summary>
    public static ConfigValue Text(string text, SourceLocation at) => new(ConfigKind.Text, text, null, null, at);

    /// <summary>A list of values (a JSON array).</summary>
    public static ConfigValue List(IEnumerable<ConfigValue> items, SourceLocation at) => new(ConfigKind.Array, null, items.ToList(), null, at);

    /// <summary>An object: named values in order (a JSON object).</summary>
    public static ConfigValue Object(IEnumerable<KeyValuePair<string, ConfigValue>> properties, SourceLocation at) => new(ConfigKind.Object, null, null, properties.ToList(), at);

    internal static ConfigValue FromJson(JsonElement element, string pointer, JsonConfigText json) => new(element, pointer, json);

    internal ConfigKind Kind => _kind;

    /// <summary>Where the value is written.</summary>
    internal SourceLocation At => _json is null ? _at : _json.At(_json.Locator.Value(_pointer!));

    /// <summary>Where the property this value belongs to is named (for an unknown property); its value's place when the source has no names.</summary>
    internal SourceLocation NameAt => _json is null ? _at : _json.At(_json.Locator.Name(_pointer!));

    /// <summary>The JSON this value was read from (inline data items keep JSON's types); null for a value a front made.</summary>
    internal JsonElement? Json => _json is null ? null : _element;

    /// <summary>A string's value (only JSON has strings), or typeless text.</summary>
    internal string? StringValue => _kind switch
    {
        ConfigKind.String => _element.GetString(),
        ConfigKind.Text => _text,
        _ => null,
    };

    internal bool IsString => _kind is ConfigKind.String or ConfigKind.Text;

    internal IReadOnlyList<ConfigValue> Items => _kind != ConfigKind.Array ? []
        : _json is null ? _items
        : _element.EnumerateArray().Select((e, i) => FromJson(e, $"{_pointer}/{i}", _json)).ToList();

    internal IEnumerable<KeyValuePair<string, ConfigValue>> Properties => _kind != ConfigKind.Object ? []
        : _json is null ? _properties
        : _element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value, $"{_pointer}/{p.Name}", _json)));

    /// <summary>The named value, or null when it is absent or JSON null.</summary>
    internal ConfigValue? Property(string name)
    {
        if (_kind != ConfigKind.Object)
        {
            return null;
        }
        if (_json is not null)
        {
            return _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? FromJson(v, $"{_pointer}/{name}", _json) : null;
        }
        return _properties.FirstOrDefault(p => p.Key == name).Value;
    }

    /// <summary>
    /// A number, or typeless text that reads as one (JSON's own numbers by their text: "1.0" is not a whole number,
    /// "1e3" is a decimal); <paramref name="styles"/> says which forms count (AllowLeadingSign for whole numbers).
    /// </summary>
    internal bool TryNumber<T>(NumberStyles styles, out T value)
        where T : INumberBase<T>
    {
        var text = _kind switch
        {
            ConfigKind.Number => _element.GetRawText(),
            ConfigKind.Text => _text,
            _ => null,
        };
        if (text is not null && T.TryParse(text, styles, CultureInfo.InvariantCulture, out var parsed) && T.IsFinite(parsed))
        {
            value = parsed;
            return true;
        }
        value = T.Zero;
        return false;
    }

    internal bool? BooleanValue => _kind switch
    {
        ConfigKind.Boolean when _json is not null => _element.GetBoolean(),
        ConfigKind.Text when bool.TryParse(_text, out var b) => b,
        _ => null,
    };

    /// <summary>How an error names the value: "the string \"x\"", "the number 3", "an array".</summary>
    internal string Describe() => _kind switch
    {
        ConfigKind.String => $"the string \"{StringValue}\"",
        ConfigKind.Text => $"'{_text}'",
        ConfigKind.Number => "the number " + _element.GetRawText(),
        ConfigKind.Boolean => _element.GetRawText(),
        ConfigKind.Array => "an array",
        ConfigKind.Object => "an object",
        _ => "null",
    };

    /// <summary>The value as canonical text (kinds, names and values; no places): what a configuration made by a front is hashed by.</summary>
    internal string Canonical()
    {
        var text = new StringBuilder();
        WriteCanonical(text);
        return text.ToString();
    }

    private void WriteCanonical(StringBuilder to)
    {
        switch (_kind)
        {
            case ConfigKind.Array:
                to.Append('[');
                foreach (var item in Items)
                {
                    item.WriteCanonical(to);
                    to.Append(',');
                }
                to.Append(']');
                break;
            case ConfigKind.Object:
                to.Append('{');
                foreach (var (name, value) in Properties)
                {
                    to.Append(JsonSerializer.Serialize(name)).Append(':');
                    value.WriteCanonical(to);
                    to.Append(',');
                }
                to.Append('}');
                break;
            default:
                to.Append((char)('0' + (int)_kind)).Append(JsonSerializer.Serialize(_json is null ? _text : _element.GetRawText()));
                break;
        }
    }

    internal BuildInputException Error(string message) => Error(At, message);

    internal static BuildInputException Error(SourceLocation at, string message) =>
        BuildInputException.Error(DiagnosticCodes.ConfigValue, message, at.File, at.Line, at.Column);
}

/// <summary>The kinds of configuration value: JSON's, and text from a source without types.</summary>
internal enum ConfigKind
{
    Null,
    String,
    Number,
    Boolean,
    Array,
    Object,
    Text,
}

/// <summary>A configuration's JSON text: its file and the positions of its values.</summary>
internal sealed record JsonConfigText(string File, JsonLocator Locator)
{
    internal SourceLocation At(JsonLocation at) => new(File, at.Line, at.Column);
}
