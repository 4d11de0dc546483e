using System.Text.Json;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Reads a manifest file as BuildImages writes it (format, version, inputs, then the records, in that order) a buffer at
/// a time, handing on each record with its own bytes: a record written by BuildImages carries its check, so its bytes
/// can be kept as they are when the check holds for them (<see cref="RecordCheck.SealedAsWritten"/>), without making the
/// record into JSON again. A file in any other shape (written by hand, reordered, damaged) is not this reader's:
/// it says so and the serializer reads the file instead, with the results and messages it has always given.
/// </summary>
internal static class ManifestFileReader
{
    private const int FirstBuffer = 1 << 20;

    /// <summary>The largest value the buffer grows to hold: a record of BuildImages' is a few kilobytes, so a larger one is not ours.</summary>
    internal const int LargestValue = 256 << 20;

    /// <summary>
    /// Reads <paramref name="file"/>, handing each record to <paramref name="record"/> with its key and its bytes (only
    /// valid during the call). Returns the header and input sets, or null when the file is not in the form BuildImages
    /// writes (some records may have been handed on by then: the caller reads the file again another way).
    /// </summary>
    internal static (string? Format, int? Version, Dictionary<string, InputSet> Inputs)? Read(Stream file, Action<string, ReadOnlyMemory<byte>> record, int largestValue = LargestValue)
    {
        try
        {
            return ReadCanonical(file, record, largestValue);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not valid JSON, or a string that is not valid text: the serializer says what is wrong with it.
            return null;
        }
    }

    private static (string? Format, int? Version, Dictionary<string, InputSet> Inputs)? ReadCanonical(Stream file, Action<string, ReadOnlyMemory<byte>> record, int largestValue)
    {
        var source = new Primitives.JsonBlocks(file, FirstBuffer, largestValue);
        var reader = source.Start();
        if (!source.Read(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        if (!Property(source, ref reader, "format"u8) || !source.Read(ref reader) || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }
        var format = reader.GetString();
        if (!Property(source, ref reader, "version"u8) || !source.Read(ref reader) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
        {
            return null;
        }
        if (!Property(source, ref reader, "inputs"u8) || source.Object(ref reader) is not { } inputBytes)
        {
            return null;
        }
        var inputs = JsonSerializer.Deserialize(inputBytes.Span, ManifestJsonContext.Default.DictionaryStringInputSet);
        if (inputs is null || !Property(source, ref reader, "cards"u8) || !source.Read(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (true)
        {
            if (!source.Read(ref reader))
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            var key = reader.GetString()!;
            if (source.Object(ref reader) is not { } bytes)
            {
                return null;
            }
            record(key, bytes);
        }
        // The root's end, then nothing but the file's end.
        return source.Read(ref reader) && reader.TokenType == JsonTokenType.EndObject && !source.Read(ref reader)
            ? (format, version, inputs)
            : null;
    }

    /// <summary>The next token is the property <paramref name="name"/>.</summary>
    private static bool Property(Primitives.JsonBlocks source, ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        source.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(name);
}
