using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Configuration;

/// <summary>
/// A JSON object of the configuration with typed, located reads: every wrong type, range or unknown
/// property becomes an error naming the file, line and column, and the allowed names.
/// </summary>
internal sealed class ConfigObject
{
    private readonly JsonElement _element;
    private readonly string _pointer;
    private readonly ConfigSource _source;

    internal ConfigObject(JsonElement element, string pointer, ConfigSource source)
    {
        _element = element;
        _pointer = pointer;
        _source = source;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw source.Error(pointer, $"expected an object, found {Describe(element)}");
        }
    }

    internal JsonLocation Location => _source.Locator.Value(_pointer);

    /// <summary>Where a property's value is, for errors found after loading.</summary>
    internal JsonLocation LocationOf(string name) => _source.Locator.Value(Pointer(name));

    internal ConfigSource Source => _source;

    /// <summary>The error for a value that is not one of <paramref name="allowed"/>: the choices, and the closest as a suggestion.</summary>
    internal BuildInputException Choice(string name, string? given, params string[] allowed)
    {
        var list = allowed.Length == 1 ? allowed[0] : string.Join(", ", allowed[..^1]) + " or " + allowed[^1];
        return Error(name, $"'{name}' must be {list}, not '{given}'{NearestName.Hint(given ?? string.Empty, allowed)}");
    }

    /// <summary>Rejects properties outside <paramref name="allowed"/>, suggesting the closest name.</summary>
    internal void AllowOnly(params string[] allowed)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal) && property.Name != "$schema")
            {
                throw _source.ErrorAtName($"{_pointer}/{property.Name}", $"unknown property '{property.Name}'{NearestName.Hint(property.Name, allowed)} (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    internal IEnumerable<string> PropertyNames() => _element.ValueKind == JsonValueKind.Object ? _element.EnumerateObject().Select(p => p.Name).ToList() : [];

    internal bool Has(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    internal JsonElement? Raw(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    internal string Pointer(string name) => $"{_pointer}/{name}";

    internal string? String(string name)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            throw _source.Error(Pointer(name), $"'{name}' must be a string, not {Describe(v)}");
        }
        return v.GetString();
    }

    internal string RequiredString(string name)
    {
        var value = String(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw _source.Error(value is null ? _pointer : Pointer(name), $"'{name}' is required")
            : value;
    }

    internal bool? Bool(string name) => Raw(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw _source.Error(Pointer(name), $"'{name}' must be true or false, not {Describe(v)}"),
    };

    internal long? Integer(string name, long min, long max)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            throw _source.Error(Pointer(name), $"'{name}' must be a whole number, not {Describe(v)}");
        }
        return n < min || n > max
            ? throw _source.Error(Pointer(name), string.Create(CultureInfo.InvariantCulture, $"'{name}' must be between {min} and {max}, not {n}"))
            : n;
    }

    internal decimal? Decimal(string name)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d >= 0
            ? d
            : throw _source.Error(Pointer(name), $"'{name}' must be a number of zero or more, not {Describe(v)}");
    }

    /// <summary>A string or an array of strings.</summary>
    internal IReadOnlyList<string> Strings(string name)
    {
        switch (Raw(name))
        {
            case null:
                return [];
            case { ValueKind: JsonValueKind.String } s:
                return [s.GetString()!];
            case { ValueKind: JsonValueKind.Array } a:
                var list = new List<string>();
                var i = 0;
                foreach (var e in a.EnumerateArray())
                {
                    list.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw _source.Error($"{Pointer(name)}/{i}", $"'{name}' entries must be strings, not {Describe(e)}"));
                    i++;
                }
                return list;
            case { } v:
                throw _source.Error(Pointer(name), $"'{name}' must be a string or an array of strings, not {Describe(v)}");
        }
    }

    internal IEnumerable<ConfigObject> Objects(string name)
    {
        if (Raw(name) is not { } v)
        {
            yield break;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw _source.Error(Pointer(name), $"'{name}' must be an array, not {Describe(v)}");
        }
        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            yield return new ConfigObject(e, $"{Pointer(name)}/{i++}", _source);
        }
    }

    internal ConfigObject? Object(string name) => Raw(name) is { } v ? new ConfigObject(v, Pointer(name), _source) : null;

    internal BuildInputException Error(string name, string message) => _source.Error(Pointer(name), message);

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => "the number " + e.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}

/// <summary>The configuration file and its positions, for located errors.</summary>
internal sealed record ConfigSource(string File, JsonLocator Locator)
{
    internal BuildInputException Error(string pointer, string message)
    {
        var at = Locator.Value(pointer);
        return BuildInputException.Error(DiagnosticCodes.ConfigValue, message, File, at.Line, at.Column);
    }

    internal BuildInputException ErrorAtName(string pointer, string message)
    {
        var at = Locator.Name(pointer);
        return BuildInputException.Error(DiagnosticCodes.ConfigValue, message, File, at.Line, at.Column);
    }
}
