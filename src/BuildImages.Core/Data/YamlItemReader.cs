using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace BuildImages.Core.Data;

internal static class YamlItemReader
{
    internal static List<DataItem> Read(string file, string text, string? itemsPath)
    {
        var lines = new YamlItemLines(new Parser(new StringReader(text)), itemsPath);
        var root = Parse(file, lines, 0);
        return DataLoader.FromList(file, root, itemsPath, i => lines.Lines is { } found && i < found.Count ? found[i] : 0);
    }

    /// <summary>Parses YAML to plain dictionaries and lists; unquoted numbers and booleans keep their types.</summary>
    internal static object? Parse(string file, string text, int lineOffset) => Parse(file, new Parser(new StringReader(text)), lineOffset);

    private static object? Parse(string file, IParser parser, int lineOffset)
    {
        try
        {
            var budget = MaxValues;
            return Normalize((t_deserializer ??= NewDeserializer()).Deserialize<object?>(parser), ref budget, file);
        }
        catch (YamlException ex)
        {
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "invalid YAML: " + (ex.InnerException?.Message ?? ex.Message).Split(" (Line")[0], file, (int)ex.Start.Line + lineOffset, (int)ex.Start.Column);
        }
    }

    /// <summary>
    /// Reads a file's items one at a time with <see cref="Read"/>'s rules (<see cref="YamlItemStream"/>): each call the
    /// node the parser is at, normalised, with a budget of <see cref="MaxValues"/> of its own.
    /// </summary>
    internal sealed class ItemParser(string file)
    {
        private readonly IDeserializer _deserializer = NewDeserializer();

        internal object? Next(IParser parser)
        {
            var budget = MaxValues;
            return Normalize(_deserializer.Deserialize<object?>(parser), ref budget, file);
        }
    }

    // One per thread, made once, not one per document: a Markdown folder parses a front matter per file (100,000 posts
    // planned in 20.8 s with a deserializer built for each, 19.0 s with one per thread). Per thread because YamlDotNet
    // does not say a deserializer may be used from several threads at once, and Markdown files are read on every core.
    [ThreadStatic]
    private static IDeserializer? t_deserializer;

    // Unquoted numbers and booleans keep their types: the one configuration, whole files and items alike.
    private static IDeserializer NewDeserializer() => new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    /// <summary>
    /// Values one file may expand to. Aliases share one parsed node but each use becomes its own copy, so a few
    /// lines of nested aliases ("billion laughs") would otherwise expand to gigabytes.
    /// </summary>
    internal const int MaxValues = 1_000_000;

    private static object? Normalize(object? value, ref int budget, string file)
    {
        if (--budget < 0)
        {
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"YAML expands to more than {MaxValues:N0} values (nested aliases?)", file);
        }
        switch (value)
        {
            case IDictionary<object, object?> map:
                var dictionary = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
                foreach (var (key, item) in map)
                {
                    var name = Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty;
                    // Every item names the same fields: one instance of each name, not one per item.
                    dictionary[SharedStrings.Get(Normalize(name, ref budget, file) as string ?? name)] = Normalize(item, ref budget, file);
                }
                return dictionary;
            case IList<object?> list:
                var copy = new List<object?>(list.Count);
                foreach (var item in list)
                {
                    copy.Add(Normalize(item, ref budget, file));
                }
                return copy;
            case byte or sbyte or short or ushort or int or uint or long:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case string text when LoneSurrogateLocator.In(text):
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, LoneSurrogateLocator.Message, file);
            case ulong u when u <= long.MaxValue:
                return (long)u;
            case float or decimal:
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            default:
                return value;
        }
    }
}
