namespace BuildImages.Core.Primitives;

/// <summary>
/// A non-negative count in 7-bit groups, low first, the high bit set on every byte but the last (what
/// <see cref="BinaryWriter.Write7BitEncodedInt(int)"/> writes): one byte below 128. The path pool's entry lengths, the
/// scratch blocks' counted records and the up-to-date record's strings are written and read with it.
/// </summary>
internal static class SevenBitCount
{
    /// <summary>The bytes <paramref name="count"/> takes.</summary>
    internal static int Size(int count)
    {
        var size = 1;
        for (var rest = (uint)count >> 7; rest != 0; rest >>= 7)
        {
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="count"/> at the start of <paramref name="to"/>; the bytes written.</summary>
    internal static int Write(Span<byte> to, int count)
    {
        var at = 0;
        var rest = (uint)count;
        for (; rest >= 0x80; rest >>= 7)
        {
            to[at++] = (byte)(rest | 0x80);
        }
        to[at++] = (byte)rest;
        return at;
    }

    /// <summary>Reads a count at <paramref name="at"/>, moving past it.</summary>
    internal static int Read(ReadOnlySpan<byte> from, ref int at)
    {
        var count = 0u;
        for (var shift = 0; ; shift += 7)
        {
            var b = from[at++];
            count |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (int)count;
            }
        }
    }
}
