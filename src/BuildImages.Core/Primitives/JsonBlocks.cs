using System.Text.Json;
using System.Text.Unicode;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A JSON document read from a stream a block at a time through one <see cref="Utf8JsonReader"/>, made anew over the
/// block as it moves on: token by token, and a whole value where the caller wants to deserialise, skip or keep its
/// bytes (the block grows to hold that value, up to a limit). Memory stays at one block or the largest such value,
/// whatever the document's size. The manifest (1.9 GB at a million items), the stat cache (170 MB, which read whole
/// and copied to drop its check was the largest part of a large build's planning peak) and a data file's root array of
/// items (260 MB at a million items) are read this way.
/// </summary>
/// <remarks>
/// Bytes leave the block only at a token's end, never inside a character: a data file's reader counts lines and checks
/// UTF-8 (which the reader checks only where it decodes a string) over them as they leave, and over the rest at the end.
/// </remarks>
/// <param name="source">The document.</param>
/// <param name="firstBlock">The block's size to begin with.</param>
/// <param name="largestValue">The largest value the block grows to hold; a larger one is an error (a <see cref="JsonException"/>).</param>
/// <param name="checksText">Whether lines are counted and UTF-8 checked as bytes leave the block (a data file's).</param>
internal sealed class JsonBlocks(Stream source, int firstBlock = 1 << 16, int largestValue = int.MaxValue, bool checksText = false)
{
    // No array is larger than Array.MaxLength, whatever the caller allows.
    private readonly int _largest = Math.Min(largestValue, Array.MaxLength);
    private byte[] _block = new byte[Math.Min(firstBlock, Math.Min(largestValue, Array.MaxLength))];
    private int _length;
    private bool _final;
    // Lines are counted up to _lineCursor (an index in the block): items' lines are asked for in the document's order.
    private int _lineCursor;
    private int _lines;
    private bool _notUtf8;
    private int _objectStart;

    /// <summary>A reader at the document's start, over its first block.</summary>
    internal Utf8JsonReader Start(JsonReaderOptions options = default)
    {
        Fill(0);
        return new Utf8JsonReader(_block.AsSpan(0, _length), _final, new JsonReaderState(options));
    }

    /// <summary>The 1-based line the last object <see cref="Object"/> gave starts on (with <c>checksText</c>; objects are asked for in order).</summary>
    internal int LineOfObject() => checksText ? LineAt(_objectStart) : throw new InvalidOperationException("lines are counted only with checksText");

    private int LineAt(int index)
    {
        _lines += _block.AsSpan(_lineCursor, index - _lineCursor).Count((byte)'\n');
        _lineCursor = index;
        return _lines + 1;
    }

    /// <summary>Whether the whole document is UTF-8 (with <c>checksText</c>): asked once the reader has reached its end.</summary>
    internal bool AllUtf8() => checksText ? !_notUtf8 && Utf8.IsValid(_block.AsSpan(0, _length)) : throw new InvalidOperationException("UTF-8 is checked only with checksText");

    /// <summary>Reads the next token, reading on in the stream when the block ends inside it; false at the document's end.</summary>
    internal bool Read(ref Utf8JsonReader reader)
    {
        while (true)
        {
            // Where the reader stood before the token it could not finish: it goes on from there over the next block.
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
            reader = More(consumed, before);
        }
    }

    /// <summary>
    /// Makes sure the value after the reader's token (a property name), or the value it is at, lies whole in the
    /// block, so <see cref="JsonSerializer.Deserialize(ref Utf8JsonReader, System.Text.Json.Serialization.Metadata.JsonTypeInfo)"/>
    /// or <see cref="Utf8JsonReader.TrySkip"/> can take it (<see cref="Utf8JsonReader.Skip"/> refuses any block but the last).
    /// </summary>
    internal void Whole(ref Utf8JsonReader reader)
    {
        while (true)
        {
            // A copy probes: the reader itself stays at its token.
            var probe = reader;
            if (probe.TrySkip())
            {
                return;
            }
            if (_final)
            {
                throw new JsonException("the document ends inside a value");
            }
            reader = More(reader.BytesConsumed, reader.CurrentState);
        }
    }

    /// <summary>
    /// The next value's bytes when it is an object (with everything in it), valid until the reader moves on; null when
    /// it is not an object.
    /// </summary>
    internal ReadOnlyMemory<byte>? Object(ref Utf8JsonReader reader)
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
                // One pass over the value (a manifest's records are read this way, a million of them): skipped if it is
                // whole, else read again from its start over a larger or later block. The reader runs over the block
                // from its first byte, so its indices are the block's.
                var start = (int)reader.TokenStartIndex;
                if (reader.TrySkip())
                {
                    _objectStart = start;
                    return _block.AsMemory(start, (int)reader.BytesConsumed - start);
                }
            }
            if (_final)
            {
                throw new JsonException("the document ends inside a value");
            }
            reader = More(consumed, before);
        }
    }

    /// <summary>Keeps the bytes from <paramref name="consumed"/> on, reads more after them, and restarts a reader there in <paramref name="state"/>.</summary>
    private Utf8JsonReader More(long consumed, JsonReaderState state)
    {
        var kept = _length - (int)consumed;
        if (consumed == 0 && kept == _block.Length)
        {
            // One token or wanted value fills the block: only a larger block can hold it.
            if (_block.Length >= _largest)
            {
                throw new JsonException($"the document holds a value larger than {_largest} bytes");
            }
            Array.Resize(ref _block, (int)Math.Min(2L * _block.Length, _largest));
        }
        else
        {
            if (checksText)
            {
                Pass((int)consumed);
            }
            Buffer.BlockCopy(_block, (int)consumed, _block, 0, kept);
        }
        Fill(kept);
        return new Utf8JsonReader(_block.AsSpan(0, _length), _final, state);
    }

    /// <summary>The block's first <paramref name="count"/> bytes leave it: their lines are counted, their encoding checked.</summary>
    private void Pass(int count)
    {
        if (count <= _lineCursor)
        {
            _lineCursor -= count;
        }
        else
        {
            _lines += _block.AsSpan(_lineCursor, count - _lineCursor).Count((byte)'\n');
            _lineCursor = 0;
        }
        _notUtf8 |= !Utf8.IsValid(_block.AsSpan(0, count));
    }

    private void Fill(int from)
    {
        _length = from;
        while (_length < _block.Length)
        {
            var read = source.Read(_block, _length, _block.Length - _length);
            if (read == 0)
            {
                _final = true;
                return;
            }
            _length += read;
        }
    }
}
