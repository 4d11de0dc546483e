namespace BuildImages.Core.Primitives;

/// <summary>
/// The output paths of one build, each held once as UTF-8 in large shared blocks and known by a number (its id, dense
/// from 0 in the order paths were first added). The output-time table, the outcome log and the up-to-date record all name
/// outputs: at a million items they held four million paths as strings, 290 MB at the build's end (72 bytes each);
/// here a path costs its bytes and about 14 more. Adding is thread-safe; reading a path whose id a thread holds needs no
/// lock. Paths are never removed: a build adds each output's at most once.
/// </summary>
/// <remarks>
/// Text is held exactly: a lone UTF-16 surrogate (which a template's string functions can make) is kept as its own
/// three bytes rather than replaced, so two paths are one id only when they are equal strings. Ids compare in ordinal
/// string order (UTF-16 code units, what <see cref="string.CompareOrdinal(string, string)"/> gives), the order the
/// report and the bookkeeping files list outputs in.
/// </remarks>
internal sealed class PathPool
{
    // Blocks of 1 MiB: the bytes never sit in one large array grown by copying. A place is the block's number and the
    // offset in it, in one int: 2,048 blocks (2 GiB of paths, some 80 million) at most.
    private const int BlockBits = 20;
    private const int BlockSize = 1 << BlockBits;
    private const int MaxBlocks = 1 << (31 - BlockBits);

    private readonly Lock _lock = new();
    private readonly byte[]?[] _blocks = new byte[]?[MaxBlocks];
    private int _block = -1;
    private int _used = BlockSize;

    // By id: where its bytes are (a length prefix, then the bytes). No hash is kept per id (16 MB at four million paths):
    // the index is rarely grown (a build sizes it once, Expect), and growing it hashes the paths again.
    private int[] _places = new int[64];
    private int _count;

    // Open addressing: id + 1 at the slot its hash picks, 0 for none; never more than two thirds full.
    private int[] _index = new int[128];

    /// <summary>How many paths the pool holds.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>Makes room for <paramref name="paths"/> paths at once (arrays grown by doubling hold the old beside the new).</summary>
    internal void Expect(int paths)
    {
        lock (_lock)
        {
            GrowIds(paths);
            var slots = IndexSizeFor(paths);
            if (slots > _index.Length)
            {
                Reindex(slots);
            }
        }
    }

    /// <summary>The id of <paramref name="path"/>, added if the pool does not hold it yet.</summary>
    internal int Add(ReadOnlySpan<char> path) => Look(path, add: true);

    /// <summary>The id of <paramref name="path"/>, or -1 when the pool does not hold it.</summary>
    internal int Find(ReadOnlySpan<char> path) => Look(path, add: false);

    /// <summary>Encodes <paramref name="path"/> (on the stack when it is short), then finds it, or adds it when <paramref name="add"/>.</summary>
    private int Look(ReadOnlySpan<char> path, bool add)
    {
        byte[]? rented = null;
        var buffer = path.Length <= 256 ? stackalloc byte[768] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(path.Length * 3));
        try
        {
            var utf8 = buffer[..Encode(path, buffer)];
            return add ? Add(utf8) : Find(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private int Add(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        lock (_lock)
        {
            var slot = Slot(utf8, hash);
            if (_index[slot] != 0)
            {
                return _index[slot] - 1;
            }
            var id = _count;
            if (id == _places.Length)
            {
                GrowIds((int)Math.Min(Array.MaxLength, 2L * _places.Length));
            }
            _places[id] = Store(utf8);
            _index[slot] = id + 1;
            Volatile.Write(ref _count, id + 1);
            if ((long)_count * 3 > (long)_index.Length * 2)
            {
                Reindex(_index.Length * 2);
            }
            return id;
        }
    }

    private int Find(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        lock (_lock)
        {
            return _index[Slot(utf8, hash)] - 1;
        }
    }

    /// <summary>Room for <paramref name="ids"/> ids' places and hashes (under the lock).</summary>
    private void GrowIds(int ids)
    {
        if (ids <= _places.Length)
        {
            return;
        }
        // Published last: a reader without the lock that sees the new array sees every place in it.
        var places = new int[ids];
        _places.AsSpan().CopyTo(places);
        Volatile.Write(ref _places, places);
    }

    /// <summary>The UTF-8 bytes of the path with id <paramref name="id"/> (what a JSON writer takes as a name).</summary>
    internal ReadOnlySpan<byte> Utf8(int id)
    {
        var place = Volatile.Read(ref _places)[id];
        var block = _blocks[place >> BlockBits]!;
        var offset = place & (BlockSize - 1);
        var length = block[offset] | (block[offset + 1] << 8) | (block[offset + 2] << 16);
        return block.AsSpan(offset + 3, length);
    }

    /// <summary>The path with id <paramref name="id"/>, as a new string.</summary>
    internal string PathOf(int id) => TextOf(Utf8(id));

    /// <summary>The text <see cref="Encode"/> wrote, as a new string.</summary>
    internal static string TextOf(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = utf8.Length <= 512 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        return new string(chars[..Decode(utf8, chars)]);
    }

    /// <summary>The paths' ordinal order (<see cref="string.CompareOrdinal(string, string)"/>), without making them.</summary>
    internal int Compare(int a, int b)
    {
        if (a == b)
        {
            return 0;
        }
        var x = Utf8(a);
        var y = Utf8(b);
        var same = x.CommonPrefixLength(y);
        if (same == x.Length || same == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }
        // The first byte that differs starts the same character in both or lies within it. UTF-8's byte order is then
        // code point order, which is UTF-16's except where a character above U+FFFF (a surrogate pair, lead byte F0-F4)
        // meets one from U+D000 up (lead ED-EF: U+E000-U+FFFF, or a lone surrogate): only there are the strings compared.
        var (p, q) = (x[same], y[same]);
        if ((p >= 0xF0 && q >= 0xED) || (q >= 0xF0 && p >= 0xED))
        {
            return string.CompareOrdinal(PathOf(a), PathOf(b));
        }
        return p.CompareTo(q);
    }

    private static int IndexSizeFor(int paths) => (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(128, (long)paths * 3 / 2 + 1)));

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // Seeded per process: nobody can pick paths that all land in one slot.
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    /// <summary>The slot that holds <paramref name="utf8"/>, or the empty slot where it would go (under the lock).</summary>
    private int Slot(ReadOnlySpan<byte> utf8, int hash)
    {
        var mask = _index.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var held = _index[slot];
            if (held == 0 || Utf8(held - 1).SequenceEqual(utf8))
            {
                return slot;
            }
        }
    }

    private void Reindex(int slots)
    {
        var index = new int[slots];
        var mask = slots - 1;
        for (var id = 0; id < _count; id++)
        {
            var slot = Hash(Utf8(id)) & mask;
            while (index[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            index[slot] = id + 1;
        }
        _index = index;
    }

    /// <summary>Copies a path's bytes after a three-byte length into the current block (a new one when it is full); its place.</summary>
    private int Store(ReadOnlySpan<byte> utf8)
    {
        var need = utf8.Length + 3;
        if (need > BlockSize)
        {
            throw new ArgumentException($"an output path of {utf8.Length} bytes is longer than any file system allows", nameof(utf8));
        }
        if (_used + need > BlockSize)
        {
            if (_block + 1 == MaxBlocks)
            {
                throw new InvalidOperationException("more output paths than one build can hold (2 GiB of them)");
            }
            _blocks[++_block] = new byte[BlockSize];
            _used = 0;
        }
        var block = _blocks[_block]!;
        var place = (_block << BlockBits) | _used;
        block[_used] = (byte)utf8.Length;
        block[_used + 1] = (byte)(utf8.Length >> 8);
        block[_used + 2] = (byte)(utf8.Length >> 16);
        utf8.CopyTo(block.AsSpan(_used + 3));
        _used += need;
        return place;
    }

    /// <summary>
    /// UTF-8, except that a lone surrogate is written as the three bytes its code unit would take (as WTF-8 does)
    /// instead of being replaced: the pool must tell every two strings apart. Valid text gives the same bytes as UTF-8.
    /// </summary>
    internal static int Encode(ReadOnlySpan<char> text, Span<byte> to)
    {
        var at = 0;
        for (var i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                to[at++] = (byte)c;
            }
            else if (c < 0x800)
            {
                to[at++] = (byte)(0xC0 | (c >> 6));
                to[at++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate((char)c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var point = char.ConvertToUtf32((char)c, text[++i]);
                to[at++] = (byte)(0xF0 | (point >> 18));
                to[at++] = (byte)(0x80 | ((point >> 12) & 0x3F));
                to[at++] = (byte)(0x80 | ((point >> 6) & 0x3F));
                to[at++] = (byte)(0x80 | (point & 0x3F));
            }
            else
            {
                to[at++] = (byte)(0xE0 | (c >> 12));
                to[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                to[at++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    /// <summary>The text <see cref="Encode"/> wrote (or valid UTF-8 a reader gave).</summary>
    internal static int Decode(ReadOnlySpan<byte> utf8, Span<char> to)
    {
        var at = 0;
        for (var i = 0; i < utf8.Length;)
        {
            int b = utf8[i];
            if (b < 0x80)
            {
                to[at++] = (char)b;
                i++;
            }
            else if (b < 0xE0)
            {
                to[at++] = (char)(((b & 0x1F) << 6) | (utf8[i + 1] & 0x3F));
                i += 2;
            }
            else if (b < 0xF0)
            {
                to[at++] = (char)(((b & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F));
                i += 3;
            }
            else
            {
                var point = ((b & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) | (utf8[i + 3] & 0x3F);
                point -= 0x10000;
                to[at++] = (char)(0xD800 + (point >> 10));
                to[at++] = (char)(0xDC00 + (point & 0x3FF));
                i += 4;
            }
        }
        return at;
    }
}
