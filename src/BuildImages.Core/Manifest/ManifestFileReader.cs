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
        var source = new Chunks(file, largestValue);
        var reader = source.Reader();
        if (!source.Next(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        if (!Property(ref source, ref reader, "format"u8) || !source.Next(ref reader) || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }
        var format = reader.GetString();
        if (!Property(ref source, ref reader, "version"u8) || !source.Next(ref reader) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
        {
            return null;
        }
        if (!Property(ref source, ref reader, "inputs"u8) || source.Value(ref reader) is not { } inputBytes)
        {
            return null;
        }
        var inputs = JsonSerializer.Deserialize(inputBytes.Span, ManifestJsonContext.Default.DictionaryStringInputSet);
        if (inputs is null || !Property(ref source, ref reader, "cards"u8) || !source.Next(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (true)
        {
            if (!source.Next(ref reader))
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            var key = reader.GetString()!;
            if (source.Value(ref reader) is not { } bytes)
            {
                return null;
            }
            record(key, bytes);
        }
        // The root's end, then nothing but the file's end.
        return source.Next(ref reader) && reader.TokenType == JsonTokenType.EndObject && !source.Next(ref reader)
            ? (format, version, inputs)
            : null;
    }

    /// <summary>The next token is the property <paramref name="name"/>.</summary>
    private static bool Property(ref Chunks source, ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        source.Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(name);

    /// <summary>The file a buffer at a time under a reader that is made anew over the buffer as it moves on.</summary>
    private struct Chunks(Stream file, int largestValue)
    {
        private byte[] _buffer = new byte[Math.Min(FirstBuffer, largestValue)];
        private int _start;
        private int _end;
        private bool _final;
        private JsonReaderState _state;

        internal readonly Utf8JsonReader Reader() => new(_buffer.AsSpan(_start, _end - _start), _final, _state);

        /// <summary>The next token; false at the end of the file.</summary>
        internal bool Next(ref Utf8JsonReader reader)
        {
            while (true)
            {
                var before = reader.CurrentState;
                var consumed = reader.BytesConsumed;
                if (reader.Read())
                {
                    return true;
                }
                if (_final)
                {
                    return false;
                }
                reader = MoveOn(consumed, before);
            }
        }

        /// <summary>The next value, whole (an object or array with everything in it): its bytes, valid until the next read; null when it is not an object.</summary>
        internal ReadOnlyMemory<byte>? Value(ref Utf8JsonReader reader)
        {
            while (true)
            {
                var before = reader.CurrentState;
                var consumed = reader.BytesConsumed;
                if (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return null;
                    }
                    var start = (int)reader.TokenStartIndex;
                    if (reader.TrySkip())
                    {
                        return _buffer.AsMemory(_start + start, (int)reader.BytesConsumed - start);
                    }
                }
                if (_final)
                {
                    throw new JsonException("the manifest ends inside a value");
                }
                reader = MoveOn(consumed, before);
            }
        }

        /// <summary>Drops what the reader consumed, reads more of the file (a larger buffer when a value fills it), and reads on from <paramref name="state"/>.</summary>
        private Utf8JsonReader MoveOn(long consumed, JsonReaderState state)
        {
            _start += (int)consumed;
            var left = _end - _start;
            if (_start == 0 && left == _buffer.Length)
            {
                if (_buffer.Length >= largestValue)
                {
                    throw new JsonException($"the manifest holds a value larger than {largestValue} bytes");
                }
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, largestValue));
            }
            else
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
            }
            _start = 0;
            _end = left;
            while (_end < _buffer.Length)
            {
                var read = file.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _final = true;
                    break;
                }
                _end += read;
            }
            _state = state;
            return Reader();
        }
    }
}
