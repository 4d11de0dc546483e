using System.Buffers.Binary;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>Reads back a record <see cref="ScratchWriter"/> wrote, in the order it was written.</summary>
internal ref struct ScratchReader(ReadOnlySpan<byte> from)
{
    private readonly ReadOnlySpan<byte> _from = from;
    private int _at;

    internal byte Byte() => _from[_at++];

    internal int Int32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_from[_at..]);
        _at += 4;
        return value;
    }

    internal long Int64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_from[_at..]);
        _at += 8;
        return value;
    }

    internal string Text()
    {
        var length = Int32();
        var text = Encoding.UTF8.GetString(_from.Slice(_at, length));
        _at += length;
        return text;
    }

    internal string? Key()
    {
        switch (Byte())
        {
            case 0:
                return null;
            case 1:
                var key = Convert.ToHexStringLower(_from.Slice(_at, 32));
                _at += 32;
                return key;
            default:
                return Text();
        }
    }
}
