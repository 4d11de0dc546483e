using System.Text.Json;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A JSON document read from a stream a block at a time through one <see cref="Utf8JsonReader"/>: token by token, and
/// a whole value where the caller wants to deserialise or skip it (the block grows to hold that value). Memory stays
/// at one block (64 KiB) or the largest such value, whatever the document's size: a million-output stat cache is
/// 170 MB, which read whole (and copied to drop its check) was the largest part of a large build's planning peak.
/// </summary>
internal sealed class JsonBlocks(Stream source)
{
    private byte[] _block = new byte[1 << 16];
    private int _length;
    private bool _final;

    /// <summary>A reader at the document's start, over its first block.</summary>
    internal Utf8JsonReader Start()
    {
        Fill(0);
        return new Utf8JsonReader(_block.AsSpan(0, _length), _final, default);
    }

    /// <summary>Reads the next token, reading on in the stream when the block ends inside it; false at the document's end.</summary>
    internal bool Read(ref Utf8JsonReader reader)
    {
        while (!reader.Read())
        {
            if (_final)
            {
                return false;
            }
            More(ref reader);
        }
        return true;
    }

    /// <summary>
    /// Makes sure the value after the reader's token (a property name), or the value it is at, lies whole in the
    /// block, so <see cref="JsonSerializer.Deserialize(ref Utf8JsonReader, System.Text.Json.Serialization.Metadata.JsonTypeInfo)"/>
    /// or <see cref="Utf8JsonReader.Skip"/> can take it.
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
            More(ref reader);
        }
    }

    /// <summary>Keeps the bytes the reader has not consumed, reads more after them, and restarts the reader there in its state.</summary>
    private void More(ref Utf8JsonReader reader)
    {
        if (_final)
        {
            throw new JsonException("the document ends inside a value");
        }
        var consumed = (int)reader.BytesConsumed;
        var kept = _length - consumed;
        if (consumed == 0 && kept == _block.Length)
        {
            // One token or wanted value fills the block: only a larger block can hold it.
            Array.Resize(ref _block, _block.Length * 2);
        }
        else
        {
            Buffer.BlockCopy(_block, consumed, _block, 0, kept);
        }
        Fill(kept);
        reader = new Utf8JsonReader(_block.AsSpan(0, _length), _final, reader.CurrentState);
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
