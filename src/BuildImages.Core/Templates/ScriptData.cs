using System.Collections;
using Scriban.Runtime;

namespace BuildImages.Core.Templates;

/// <summary>Item data for scripts: maps and lists become script objects and arrays, so no .NET object (and none of its members) reaches a template.</summary>
internal static class ScriptData
{
    /// <summary>Item data as script values: maps and lists become script objects and arrays, so no .NET object reaches the script.</summary>
    internal static object? From(object? value)
    {
        switch (value)
        {
            case null or string or bool or long or int or double or decimal:
                return value;
            case IReadOnlyDictionary<string, object?> map:
                var o = new ScriptObject(StringComparer.Ordinal);
                foreach (var (k, v) in map)
                {
                    o.SetValue(k, From(v), false);
                }
                return o;
            case IEnumerable list:
                var a = new ScriptArray();
                foreach (var v in list)
                {
                    a.Add(From(v));
                }
                return a;
            case DateTime or DateTimeOffset:
                return value;
            default:
                return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>An item's fields as one script object.</summary>
    internal static ScriptObject Object(IReadOnlyDictionary<string, object?> fields)
    {
        var data = new ScriptObject(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            data.SetValue(name, From(value), false);
        }
        return data;
    }
}
