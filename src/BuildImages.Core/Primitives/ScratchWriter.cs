using System.Buffers.Binary;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Writes one record for <see cref="ScratchBlocks"/> into a span sized with the <c>Size</c> methods: little-endian
/// numbers, UTF-8 text with its length, and a key as its 32 bytes when it is 64 lower-case hex digits (every rendered
/// output's). <see cref="ScratchReader"/> reads it back.
/// </summary>
internal ref struct ScratchWriter(Span<byte> to)
{
    private readonly Span<byte> _to = to;
    private int _at;

    internal static int TextSize(string text) => 4 + Encoding.UTF8.GetByteCount(text);

    internal static int KeySize(string? key) => 1 + (key is null ? 0 : CompactKey.IsPackable(key) ? 32 : TextSize(key));

    internal void Byte(byte value) => _to[_at++] = value;

    internal void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_to[_at..], value);
        _at += 4;
    }

    internal void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_to[_at..], value);
        _at += 8;
    }

    internal void Text(string text)
    {
        var length = Encoding.UTF8.GetBytes(text, _to[(_at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(_to[_at..], length);
        _at += 4 + length;
    }

    internal void Key(string? key)
    {
        if (key is null)
        {
            Byte(0);
        }
        else if (CompactKey.IsPackable(key))
        {
            Byte(1);
            Convert.FromHexString(key, _to.Slice(_at, 32), out _, out _);
            _at += 32;
        }
        else
        {
            Byte(2);
            Text(key);
        }
    }
}
