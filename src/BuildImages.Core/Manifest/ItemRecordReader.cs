using System.Text.Json;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Reads a record the build keeps serialised (<see cref="RecordCheck.SealedJson"/>: the serializer's own output) in one
/// pass over its tokens. A build reads every record back several times (the check, the up-to-date record, images.json,
/// the report), and the serializer reads a record of required init-only properties through its constructor-argument
/// path, caching each value and looking each name up: this reads each name by its bytes and sets nothing twice. Anything
/// it does not expect (a name it does not know, a token of another kind, a property missing) goes to the serializer,
/// whose result and errors stand.
/// </summary>
internal static class ItemRecordReader
{
    internal static ItemRecord Read(ReadOnlySpan<byte> json) =>
        TryRead(json) ?? JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ItemRecord)!;

    /// <summary>The record, or null when the bytes are not in the form the serializer writes.</summary>
    internal static ItemRecord? TryRead(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? job = null, item = null, source = null, output = null, alt = null, template = null, size = null, preKey = null, inputs = null, check = null;
        Dictionary<string, string>? fields = null;
        List<VariantRecord>? variants = null;
        while (Next(ref reader, out var name) is var step && step != Step.End)
        {
            if (step == Step.Unexpected)
            {
                return null;
            }
            var known = name.Length switch
            {
                3 when name.SequenceEqual("job"u8) => Text(ref reader, ref job),
                4 when name.SequenceEqual("item"u8) => Text(ref reader, ref item),
                6 when name.SequenceEqual("source"u8) => Text(ref reader, ref source),
                6 when name.SequenceEqual("output"u8) => Text(ref reader, ref output),
                3 when name.SequenceEqual("alt"u8) => Text(ref reader, ref alt),
                8 when name.SequenceEqual("template"u8) => Text(ref reader, ref template),
                4 when name.SequenceEqual("size"u8) => Text(ref reader, ref size),
                6 when name.SequenceEqual("preKey"u8) => Text(ref reader, ref preKey),
                6 when name.SequenceEqual("inputs"u8) => Text(ref reader, ref inputs),
                5 when name.SequenceEqual("check"u8) => Text(ref reader, ref check),
                6 when name.SequenceEqual("fields"u8) => fields is null && (fields = Fields(ref reader)) is not null,
                8 when name.SequenceEqual("variants"u8) => variants is null && (variants = Variants(ref reader)) is not null,
                _ => false,
            };
            if (!known)
            {
                return null;
            }
        }
        if (reader.Read() || job is null || item is null || source is null || output is null || template is null || size is null || preKey is null || fields is null || inputs is null || variants is null)
        {
            return null;
        }
        return new ItemRecord
        {
            Job = job,
            Item = item,
            Source = source,
            Output = output,
            Alt = alt,
            Template = template,
            Size = size,
            PreKey = preKey,
            Fields = fields,
            Inputs = inputs,
            Variants = variants,
            Check = check,
        };
    }

    /// <summary>A record's outline (<see cref="RecordOutline"/>) read the same way, the values it does not hold skipped without making strings of them.</summary>
    internal static RecordOutline ReadOutline(ReadOnlySpan<byte> json) =>
        TryReadOutline(json) ?? JsonSerializer.Deserialize(json, ManifestJsonContext.Default.RecordOutline)!;

    /// <summary>The outline, or null when the bytes are not in the form the serializer writes.</summary>
    internal static RecordOutline? TryReadOutline(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? job = null, item = null, source = null, output = null, inputs = null;
        List<OutputOutline>? variants = null;
        while (Next(ref reader, out var name) is var step && step != Step.End)
        {
            if (step == Step.Unexpected)
            {
                return null;
            }
            var known = name.Length switch
            {
                3 when name.SequenceEqual("job"u8) => Text(ref reader, ref job),
                4 when name.SequenceEqual("item"u8) => Text(ref reader, ref item),
                6 when name.SequenceEqual("source"u8) => Text(ref reader, ref source),
                6 when name.SequenceEqual("output"u8) => Text(ref reader, ref output),
                6 when name.SequenceEqual("inputs"u8) => Text(ref reader, ref inputs),
                8 when name.SequenceEqual("variants"u8) => variants is null && (variants = Outlines(ref reader)) is not null,
                _ when IsRecordName(name) => reader.TrySkip(),
                _ => false,
            };
            if (!known)
            {
                return null;
            }
        }
        return reader.Read() || job is null || item is null || source is null || output is null || inputs is null || variants is null
            ? null
            : new RecordOutline { Job = job, Item = item, Source = source, Output = output, Inputs = inputs, Variants = variants };
    }

    /// <summary>The record's other names, whose values an outline skips.</summary>
    private static bool IsRecordName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("alt"u8) || name.SequenceEqual("template"u8) || name.SequenceEqual("size"u8) || name.SequenceEqual("preKey"u8)
        || name.SequenceEqual("fields"u8) || name.SequenceEqual("check"u8);

    private static List<OutputOutline>? Outlines(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }
        var outlines = new List<OutputOutline>(4);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? path = null, file = null;
            while (Next(ref reader, out var name) is var step && step != Step.End)
            {
                var known = step == Step.Property && (name.SequenceEqual("path"u8) ? Text(ref reader, ref path)
                    : name.SequenceEqual("file"u8) ? Text(ref reader, ref file)
                    : IsVariantName(name) && reader.TrySkip());
                if (!known)
                {
                    return null;
                }
            }
            if (path is null || file is null)
            {
                return null;
            }
            outlines.Add(new OutputOutline { Path = path, File = file });
        }
        return reader.TokenType == JsonTokenType.EndArray ? outlines : null;
    }

    /// <summary>A variant's other names, whose values an outline skips.</summary>
    private static bool IsVariantName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("key"u8) || name.SequenceEqual("options"u8) || name.SequenceEqual("width"u8) || name.SequenceEqual("height"u8)
        || name.SequenceEqual("mime"u8) || name.SequenceEqual("bytes"u8) || name.SequenceEqual("sha256"u8) || name.SequenceEqual("quality"u8);

    /// <summary>A string value, once (a name given twice, or another kind of token, is not the serializer's form).</summary>
    private static bool Text(ref Utf8JsonReader reader, ref string? value)
    {
        if (value is not null || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        value = reader.GetString();
        return true;
    }

    private static Dictionary<string, string>? Fields(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        var fields = new Dictionary<string, string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Primitives.SharedStrings.Get(reader.GetString()!);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !fields.TryAdd(key, reader.GetString()!))
            {
                return null;
            }
        }
        return reader.TokenType == JsonTokenType.EndObject ? fields : null;
    }

    private static List<VariantRecord>? Variants(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }
        var variants = new List<VariantRecord>(4);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (Variant(ref reader) is not { } variant)
            {
                return null;
            }
            variants.Add(variant);
        }
        return reader.TokenType == JsonTokenType.EndArray ? variants : null;
    }

    private static VariantRecord? Variant(ref Utf8JsonReader reader)
    {
        string? path = null, file = null, key = null, options = null, mime = null, sha256 = null;
        int? width = null, height = null, quality = null;
        long? bytes = null;
        while (Next(ref reader, out var name) is var step && step != Step.End)
        {
            if (step == Step.Unexpected)
            {
                return null;
            }
            var known = name.Length switch
            {
                4 when name.SequenceEqual("path"u8) => Text(ref reader, ref path),
                4 when name.SequenceEqual("file"u8) => Text(ref reader, ref file),
                3 when name.SequenceEqual("key"u8) => Text(ref reader, ref key),
                // The same few per job: one instance each, not one per output read.
                7 when name.SequenceEqual("options"u8) => Text(ref reader, ref options) && (options = Primitives.SharedStrings.Get(options!)) is not null,
                4 when name.SequenceEqual("mime"u8) => Text(ref reader, ref mime) && (mime = Primitives.SharedStrings.Get(mime!)) is not null,
                6 when name.SequenceEqual("sha256"u8) => Text(ref reader, ref sha256),
                5 when name.SequenceEqual("width"u8) => Int32(ref reader, ref width),
                6 when name.SequenceEqual("height"u8) => Int32(ref reader, ref height),
                7 when name.SequenceEqual("quality"u8) => Int32(ref reader, ref quality),
                5 when name.SequenceEqual("bytes"u8) => reader.TokenType == JsonTokenType.Number && bytes is null && reader.TryGetInt64(out var b) && (bytes = b) is not null,
                _ => false,
            };
            if (!known)
            {
                return null;
            }
        }
        return path is null || file is null || key is null || options is null || mime is null || sha256 is null || width is null || height is null || bytes is null
            ? null
            : new VariantRecord { Path = path, File = file, Key = key, Options = options, Width = width.Value, Height = height.Value, Mime = mime, Bytes = bytes.Value, Sha256 = sha256, Quality = quality ?? 0 };
    }

    /// <summary>
    /// Moves past the next property's name onto its value (<see cref="Step.Property"/>, with the name's bytes), past the
    /// object's end (<see cref="Step.End"/>), or finds what the serializer never writes there: another token, an
    /// escaped name, the bytes' end (<see cref="Step.Unexpected"/>).
    /// </summary>
    private static Step Next(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!reader.Read())
        {
            return Step.Unexpected;
        }
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return Step.End;
        }
        if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
        {
            return Step.Unexpected;
        }
        name = reader.ValueSpan;
        return reader.Read() ? Step.Property : Step.Unexpected;
    }

    private enum Step
    {
        Property,
        End,
        Unexpected,
    }

    private static bool Int32(ref Utf8JsonReader reader, ref int? value)
    {
        if (value is not null || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number))
        {
            return false;
        }
        value = number;
        return true;
    }
}
