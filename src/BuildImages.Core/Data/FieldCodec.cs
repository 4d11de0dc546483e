using System.Text;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Data;

/// <summary>
/// An item's fields as bytes and back, exactly: the values the data readers make (text, whole numbers as
/// <see cref="long"/>, other numbers as <see cref="double"/>, true and false, null, lists as <see cref="List{T}"/> and
/// objects as ordinal dictionaries in their order) come back as equal values of the same types, in the same order.
/// Fields holding anything else (another type, text that is not valid UTF-16, nesting deeper than
/// <see cref="MaxDepth"/>) are not encoded at all: <see cref="Size"/> says so and the caller keeps them as they are.
/// </summary>
internal static class FieldCodec
{
    /// <summary>Deeper objects and lists are not encoded (the encoder and decoder recurse).</summary>
    internal const int MaxDepth = 64;

    private const byte Null = 0;
    private const byte Text = 1;
    private const byte False = 2;
    private const byte True = 3;
    private const byte Whole = 4;
    private const byte Number = 5;
    private const byte Map = 6;
    private const byte List = 7;

    // Strict: a lone surrogate would come back as U+FFFD, a different value.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes <paramref name="fields"/> encode to, or null when they cannot be encoded exactly.</summary>
    internal static int? Size(IReadOnlyDictionary<string, object?> fields)
    {
        try
        {
            return MapSize(fields, 0);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="fields"/> into <paramref name="to"/>, which holds exactly <see cref="Size"/> bytes.</summary>
    internal static void Write(Span<byte> to, IReadOnlyDictionary<string, object?> fields)
    {
        var writer = new ScratchWriter(to);
        WriteMap(ref writer, fields);
    }

    /// <summary>Fields as <see cref="Write"/> wrote them: a new dictionary, its names shared, its values new.</summary>
    internal static Dictionary<string, object?> Read(ReadOnlySpan<byte> from)
    {
        var reader = new ScratchReader(from);
        return ReadMap(ref reader);
    }

    private static int? MapSize(IReadOnlyDictionary<string, object?> map, int depth)
    {
        if (depth > MaxDepth || !IsOrdinalMap(map))
        {
            return null;
        }
        var size = 4;
        foreach (var (name, value) in map)
        {
            if (ValueSize(value, depth + 1) is not { } valueSize)
            {
                return null;
            }
            size += TextSize(name) + valueSize;
        }
        return size;
    }

    private static int? ValueSize(object? value, int depth) => value switch
    {
        null or bool => 1,
        string text => 1 + TextSize(text),
        long or double => 9,
        IReadOnlyDictionary<string, object?> map => 1 + MapSize(map, depth),
        List<object?> list => 1 + ListSize(list, depth),
        _ => null,
    };

    private static int? ListSize(List<object?> list, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        var size = 4;
        foreach (var value in list)
        {
            if (ValueSize(value, depth + 1) is not { } valueSize)
            {
                return null;
            }
            size += valueSize;
        }
        return size;
    }

    /// <summary>Maps the readers make: read back as an ordinal dictionary, they behave the same.</summary>
    private static bool IsOrdinalMap(IReadOnlyDictionary<string, object?> map) =>
        map is FieldRow || (map is Dictionary<string, object?> dictionary
            && (ReferenceEquals(dictionary.Comparer, StringComparer.Ordinal) || ReferenceEquals(dictionary.Comparer, EqualityComparer<string>.Default)));

    private static int TextSize(string text) => 4 + StrictUtf8.GetByteCount(text);

    private static void WriteMap(ref ScratchWriter w, IReadOnlyDictionary<string, object?> map)
    {
        w.Int32(map.Count);
        foreach (var (name, value) in map)
        {
            w.Text(name);
            WriteValue(ref w, value);
        }
    }

    private static void WriteValue(ref ScratchWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.Byte(Null);
                break;
            case bool flag:
                w.Byte(flag ? True : False);
                break;
            case string text:
                // Sized by the strict encoding: text that reaches here encodes the same either way.
                w.Byte(Text);
                w.Text(text);
                break;
            case long whole:
                w.Byte(Whole);
                w.Int64(whole);
                break;
            case double number:
                w.Byte(Number);
                w.Int64(BitConverter.DoubleToInt64Bits(number));
                break;
            case IReadOnlyDictionary<string, object?> map:
                w.Byte(Map);
                WriteMap(ref w, map);
                break;
            case List<object?> list:
                w.Byte(List);
                w.Int32(list.Count);
                foreach (var item in list)
                {
                    WriteValue(ref w, item);
                }
                break;
            default:
                throw new InvalidOperationException($"a field value of type {value.GetType()} was sized as encodable");
        }
    }

    private static Dictionary<string, object?> ReadMap(ref ScratchReader r)
    {
        var count = r.Int32();
        var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            // Every item of a file names the same fields: one instance of each name.
            var name = SharedStrings.Get(r.Text());
            map[name] = ReadValue(ref r);
        }
        return map;
    }

    private static object? ReadValue(ref ScratchReader r)
    {
        switch (r.Byte())
        {
            case Null:
                return null;
            case False:
                return false;
            case True:
                return true;
            case Text:
                return r.Text();
            case Whole:
                return r.Int64();
            case Number:
                return BitConverter.Int64BitsToDouble(r.Int64());
            case Map:
                return ReadMap(ref r);
            case List:
                var count = r.Int32();
                var list = new List<object?>(count);
                for (var i = 0; i < count; i++)
                {
                    list.Add(ReadValue(ref r));
                }
                return list;
            case var tag:
                throw new InvalidDataException($"field bytes hold an unknown tag {tag}: the scratch file was changed");
        }
    }
}
