using System.Globalization;
using BuildImages.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace BuildImages.Core.Data;

internal static class YamlItemReader
{
    internal static List<DataItem> Read(string file, string text, string? itemsPath) =>
        DataLoader.FromList(file, Parse(file, text, 0), itemsPath, _ => 0);

    /// <summary>Parses YAML to plain dictionaries and lists; unquoted numbers and booleans keep their types.</summary>
    internal static object? Parse(string file, string text, int lineOffset)
    {
        try
        {
            var deserializer = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
            return Normalize(deserializer.Deserialize<object?>(text));
        }
        catch (YamlException ex)
        {
            throw CardException.Error(DiagnosticCodes.DataSyntax, "invalid YAML: " + (ex.InnerException?.Message ?? ex.Message).Split(" (Line")[0], file, (int)ex.Start.Line + lineOffset, (int)ex.Start.Column);
        }
    }

    private static object? Normalize(object? value) => value switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, CultureInfo.InvariantCulture) ?? string.Empty, p => Normalize(p.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Normalize).ToList(),
        byte or sbyte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => value,
    };
}
