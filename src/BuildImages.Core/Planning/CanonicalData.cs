using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Planning;

/// <summary>
/// A canonical form of item data for keys: numbers in round-trip form; the item's own fields sorted (a template sees
/// them as variables, never in an order), so the same data from JSON, YAML or CSV in any field order hashes the same;
/// objects inside fields in their given order, because a template can observe it (<c>object.keys</c>, <c>for k in
/// obj</c>): reordering them changes the card, so it changes the key.
/// </summary>
internal static class CanonicalData
{
    /// <summary>The hash of the whole item in canonical form: one serialisation and one hash per item, for the pre-key.</summary>
    public static string Hash(IReadOnlyDictionary<string, object?> fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var key in fields.Keys.Order(StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                Write(writer, fields[key]);
            }
            writer.WriteEndObject();
        }
        return ContentHash.Of(buffer.WrittenSpan);
    }

    /// <summary>One short hash per top-level field, so an explanation can name the field that changed.</summary>
    public static Dictionary<string, string> FieldHashes(IReadOnlyDictionary<string, object?> fields)
    {
        var hashes = new Dictionary<string, string>(fields.Count, StringComparer.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var (name, value) in fields)
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            Write(writer, value);
            writer.Flush();
            hashes[name] = ContentHash.Of(buffer.WrittenSpan)[..16];
        }
        return hashes;
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long or int or short or byte or sbyte or ushort or uint:
                w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                w.WriteNumberValue(u);
                break;
            case double or float or decimal:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    w.WriteNumberValue(d);
                }
                else
                {
                    w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }
                break;
            case DateTime dt:
                w.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dto:
                w.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (key, entry) in map)
                {
                    w.WritePropertyName(key);
                    Write(w, entry);
                }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var entry in list)
                {
                    Write(w, entry);
                }
                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
