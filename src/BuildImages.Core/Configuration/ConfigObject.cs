using System.Globalization;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Configuration;

/// <summary>
/// An object of the configuration with typed, located reads: every wrong type, range or unknown property becomes an
/// error naming the file, line and column where it was written, and the allowed names.
/// </summary>
internal sealed class ConfigObject
{
    private readonly ConfigValue _value;

    internal ConfigObject(ConfigValue value)
    {
        _value = value;
        if (value.Kind != ConfigKind.Object)
        {
            throw value.Error($"expected an object, found {value.Describe()}");
        }
    }

    internal SourceLocation Location => _value.At;

    /// <summary>Where a property's value is (the object's place when it is absent), for errors found after loading.</summary>
    internal SourceLocation LocationOf(string name) => Raw(name)?.At ?? Location;

    /// <summary>The error for a value that is not one of <paramref name="allowed"/>: the choices, and the closest as a suggestion.</summary>
    internal BuildInputException Choice(string name, string? given, params string[] allowed)
    {
        var list = allowed.Length == 1 ? allowed[0] : string.Join(", ", allowed[..^1]) + " or " + allowed[^1];
        return Error(name, $"'{name}' must be {list}, not '{given}'{NearestName.Hint(given ?? string.Empty, allowed)}");
    }

    /// <summary>Rejects properties outside <paramref name="allowed"/>, suggesting the closest name.</summary>
    internal void AllowOnly(params string[] allowed)
    {
        foreach (var (name, value) in _value.Properties)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal) && name != "$schema")
            {
                throw ConfigValue.Error(value.NameAt, $"unknown property '{name}'{NearestName.Hint(name, allowed)} (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    internal IEnumerable<string> PropertyNames() => _value.Properties.Select(p => p.Key).ToList();

    internal bool Has(string name) => Raw(name) is not null;

    /// <summary>The property's value, or null when it is absent or null.</summary>
    internal ConfigValue? Raw(string name) => _value.Property(name);

    internal string? String(string name)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        return v.IsString ? v.StringValue : throw v.Error($"'{name}' must be a string, not {v.Describe()}");
    }

    internal string RequiredString(string name)
    {
        var value = String(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw (value is null ? _value.Error($"'{name}' is required") : Error(name, $"'{name}' is required"))
            : value;
    }

    internal bool? Bool(string name) => Raw(name) switch
    {
        null => null,
        { BooleanValue: { } b } => b,
        { } v => throw v.Error($"'{name}' must be true or false, not {v.Describe()}"),
    };

    internal long? Integer(string name, long min, long max)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        if (!v.TryNumber<long>(NumberStyles.AllowLeadingSign, out var n))
        {
            throw v.Error($"'{name}' must be a whole number, not {v.Describe()}");
        }
        return n < min || n > max
            ? throw v.Error(string.Create(CultureInfo.InvariantCulture, $"'{name}' must be between {min} and {max}, not {n}"))
            : n;
    }

    internal decimal? Decimal(string name)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        return v.TryNumber<decimal>(NumberStyles.Float, out var d) && d >= 0
            ? d
            : throw v.Error($"'{name}' must be a number of zero or more, not {v.Describe()}");
    }

    /// <summary>A string or an array of strings.</summary>
    internal IReadOnlyList<string> Strings(string name)
    {
        switch (Raw(name))
        {
            case null:
                return [];
            case { IsString: true } s:
                return [s.StringValue!];
            case { Kind: ConfigKind.Array } a:
                return a.Items.Select(e => e.IsString ? e.StringValue! : throw e.Error($"'{name}' entries must be strings, not {e.Describe()}")).ToList();
            case { } v:
                throw v.Error($"'{name}' must be a string or an array of strings, not {v.Describe()}");
        }
    }

    internal IEnumerable<ConfigObject> Objects(string name)
    {
        if (Raw(name) is not { } v)
        {
            return [];
        }
        return v.Kind != ConfigKind.Array
            ? throw v.Error($"'{name}' must be an array, not {v.Describe()}")
            : v.Items.Select(e => new ConfigObject(e));
    }

    internal ConfigObject? Object(string name) => Raw(name) is { } v ? new ConfigObject(v) : null;

    /// <summary>An error at the property's value (at the object when the property is absent).</summary>
    internal BuildInputException Error(string name, string message) => ConfigValue.Error(LocationOf(name), message);
}
