namespace BuildImages.Core.Primitives;

/// <summary>
/// Short texts a build keeps to its end without a string each (a plan's item ids and output stems), appended as UTF-8
/// into 1 MiB blocks and read back as new strings. Text is held exactly, lone surrogates included (the encoding of
/// <see cref="PathPool"/>). Appending is for one thread; reading is from any, once appending is over.
/// </summary>
internal sealed class TextBlocks
{
    private const int BlockBits = 20;
    private const int BlockSize = 1 << BlockBits;

    // A place is the block's number and the offset in it, in one int: 2,048 blocks (2 GiB of text) at most.
    private const int MaxBlocks = 1 << (31 - BlockBits);

    private readonly List<byte[]> _blocks = [];
    private int _used = BlockSize;

    /// <summary>
    /// Appends <paramref name="first"/> then <paramref name="second"/> together, and says where (the place of the
    /// first; the second follows it) and how many bytes each took; null when either would take more than 65,535 bytes,
    /// or the blocks are full.
    /// </summary>
    internal (int At, ushort FirstBytes, ushort SecondBytes)? Append(string first, string second)
    {
        // Three bytes a UTF-16 unit at most: checked before encoding.
        if (first.Length * 3L > ushort.MaxValue || second.Length * 3L > ushort.MaxValue)
        {
            return null;
        }
        if (_used + ((first.Length + second.Length) * 3) > BlockSize)
        {
            if (_blocks.Count == MaxBlocks)
            {
                return null;
            }
            _blocks.Add(new byte[BlockSize]);
            _used = 0;
        }
        var block = _blocks[^1];
        var firstBytes = PathPool.Encode(first, block.AsSpan(_used));
        var secondBytes = PathPool.Encode(second, block.AsSpan(_used + firstBytes));
        var at = ((_blocks.Count - 1) << BlockBits) | _used;
        _used += firstBytes + secondBytes;
        return (at, (ushort)firstBytes, (ushort)secondBytes);
    }

    /// <summary>The bytes at <paramref name="at"/> (within one append).</summary>
    internal ReadOnlySpan<byte> Bytes(int at, int length) => _blocks[at >> BlockBits].AsSpan(at & (BlockSize - 1), length);

    /// <summary>The text at <paramref name="at"/>, as a new string.</summary>
    internal string Read(int at, int length) => PathPool.TextOf(Bytes(at, length));

    /// <summary><paramref name="text"/> in the blocks' encoding, as a new array.</summary>
    internal static byte[] Encode(string text)
    {
        Span<byte> bytes = text.Length <= 256 ? stackalloc byte[768] : new byte[text.Length * 3];
        return bytes[..PathPool.Encode(text, bytes)].ToArray();
    }
}
