using System.Buffers.Binary;

namespace BuildImages.Core.Text;

/// <summary>
/// The code points a <c>cmap</c> table maps to a glyph other than 0, read from the subtable HarfBuzz would use and
/// the way it looks them up (its <c>find_best_subtable</c> order, the symbol and Mac Roman fallbacks), so coverage
/// says exactly which characters the shaper will find. Every offset and count is checked against the table.
/// </summary>
internal static class OpenTypeCmap
{
    /// <summary>The subtables HarfBuzz prefers, best first: symbol, then 32-bit Unicode, then 16-bit, then Mac Roman.</summary>
    private static readonly (ushort Platform, ushort Encoding)[] Preference =
        [(3, 0), (3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0), (1, 0)];

    internal static CodepointSet Coverage(ReadOnlySpan<byte> cmap)
    {
        if (cmap.Length < 4)
        {
            return CodepointSet.Empty;
        }
        var count = U16(cmap, 2);
        if (4 + (count * 8) > cmap.Length)
        {
            throw new InvalidDataException($"its cmap table lists {count} subtables but has room for {(cmap.Length - 4) / 8}");
        }
        foreach (var (platform, encoding) in Preference)
        {
            for (var i = 0; i < count; i++)
            {
                var record = cmap[(4 + (i * 8))..];
                if (U16(record, 0) != platform || U16(record, 2) != encoding)
                {
                    continue;
                }
                var offset = U32(record, 4);
                if (offset >= (uint)cmap.Length)
                {
                    throw new InvalidDataException($"its cmap subtable ({platform},{encoding}) starts past the table's end");
                }
                var subtable = cmap[(int)offset..];
                var direct = new CodepointSet.Builder();
                if (!Read(subtable, direct))
                {
                    // HarfBuzz takes the preferred subtable whatever its format; one it cannot read (2, 8) maps nothing.
                    return CodepointSet.Empty;
                }
                var set = direct.Build();
                return (platform, encoding) switch
                {
                    (3, 0) => WithSymbolAliases(set),
                    (1, 0) => WithMacRoman(set),
                    _ => set,
                };
            }
        }
        return CodepointSet.Empty;
    }

    /// <summary>Adds the glyph-bearing code points of one subtable; false for a format HarfBuzz does not read.</summary>
    private static bool Read(ReadOnlySpan<byte> s, CodepointSet.Builder set)
    {
        Need(s, 2);
        switch (U16(s, 0))
        {
            case 0:
                Need(s, 6 + 256);
                for (var c = 0; c < 256; c++)
                {
                    if (s[6 + c] != 0)
                    {
                        set.Add(c, c);
                    }
                }
                return true;
            case 4:
                ReadFormat4(s, set);
                return true;
            case 6:
            {
                Need(s, 10);
                int first = U16(s, 6), entries = U16(s, 8);
                Need(s, 10 + (entries * 2));
                for (var i = 0; i < entries; i++)
                {
                    if (U16(s, 10 + (i * 2)) != 0)
                    {
                        set.Add(first + i, first + i);
                    }
                }
                return true;
            }
            case 10:
            {
                Need(s, 20);
                var first = U32(s, 12);
                var entries = U32(s, 16);
                if (entries > (uint)(s.Length - 20) / 2 || first > 0x10FFFF)
                {
                    throw new InvalidDataException("its cmap format 10 subtable runs past the table's end");
                }
                for (var i = 0; i < (int)entries; i++)
                {
                    if (U16(s, 20 + (i * 2)) != 0)
                    {
                        set.Add((int)first + i, (int)first + i);
                    }
                }
                return true;
            }
            case 12 or 13:
            {
                Need(s, 16);
                var format = U16(s, 0);
                var groups = U32(s, 12);
                if (groups > (uint)(s.Length - 16) / 12)
                {
                    throw new InvalidDataException($"its cmap format {format} subtable lists {groups} groups but has room for {(s.Length - 16) / 12}");
                }
                for (var i = 0; i < (int)groups; i++)
                {
                    var g = s[(16 + (i * 12))..];
                    uint start = U32(g, 0), end = Math.Min(U32(g, 4), 0x10FFFFu), glyph = U32(g, 8);
                    if (start > end)
                    {
                        continue;
                    }
                    if (format == 13)
                    {
                        if (glyph != 0)
                        {
                            set.Add((int)start, (int)end);
                        }
                    }
                    else
                    {
                        // Glyph start + (c - first): 0 only at the first code point when the group starts at glyph 0.
                        set.Add((int)(glyph == 0 ? start + 1 : start), (int)end);
                    }
                }
                return true;
            }
            default:
                return false;
        }
    }

    private static void ReadFormat4(ReadOnlySpan<byte> s, CodepointSet.Builder set)
    {
        Need(s, 14);
        var segments = U16(s, 6) / 2;
        // The subtable's own length bounds the glyph array (fonts in the wild often overstate it: the table's end bounds it too).
        var length = Math.Min(U16(s, 2), s.Length);
        Need(s, 16 + (segments * 8));
        int ends = 14, starts = 16 + (segments * 2), deltas = starts + (segments * 2), rangeOffsets = deltas + (segments * 2);
        var glyphArrayWords = Math.Max(0, (length - (rangeOffsets + (segments * 2))) / 2);
        for (var i = 0; i < segments; i++)
        {
            int end = U16(s, ends + (i * 2)), start = U16(s, starts + (i * 2)), delta = U16(s, deltas + (i * 2)), rangeOffset = U16(s, rangeOffsets + (i * 2));
            if (start > end)
            {
                continue;
            }
            if (rangeOffset == 0)
            {
                // (c + delta) mod 65536 is 0 for one c at most.
                var zero = (65536 - delta) & 0xFFFF;
                if (zero >= start && zero <= end)
                {
                    set.Add(start, zero - 1);
                    set.Add(zero + 1, end);
                }
                else
                {
                    set.Add(start, end);
                }
                continue;
            }
            for (var c = start; c <= end; c++)
            {
                // The index HarfBuzz computes: words from this segment's idRangeOffset entry, counted in the glyph array.
                var index = (rangeOffset / 2) + (c - start) + i - segments;
                if (index < 0 || index >= glyphArrayWords)
                {
                    continue;
                }
                var glyph = U16(s, rangeOffsets + (segments * 2) + (index * 2));
                if (glyph != 0 && ((glyph + delta) & 0xFFFF) != 0)
                {
                    set.Add(c, c);
                }
            }
        }
    }

    /// <summary>A symbol font's U+F020–U+F0FF glyphs also answer U+0020–U+00FF (HarfBuzz, as Windows does).</summary>
    private static CodepointSet WithSymbolAliases(CodepointSet set)
    {
        var builder = new CodepointSet.Builder();
        foreach (var (first, last) in set.Ranges)
        {
            builder.Add(first, last);
            if (last >= 0xF000 && first <= 0xF0FF)
            {
                builder.Add(Math.Max(first, 0xF000) - 0xF000, Math.Min(last, 0xF0FF) - 0xF000);
            }
        }
        return builder.Build();
    }

    /// <summary>A Mac Roman subtable answers code points directly and, for U+0080 and up, through their Mac Roman byte (HarfBuzz).</summary>
    private static CodepointSet WithMacRoman(CodepointSet set)
    {
        var builder = new CodepointSet.Builder();
        foreach (var (first, last) in set.Ranges)
        {
            builder.Add(first, last);
        }
        var macRoman = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(10000)!;
        for (var b = 0x80; b <= 0xFF; b++)
        {
            if (set.Contains(b))
            {
                var u = macRoman.GetString([(byte)b]);
                builder.Add(u[0], u[0]);
            }
        }
        return builder.Build();
    }

    private static void Need(ReadOnlySpan<byte> s, int bytes)
    {
        if (bytes > s.Length)
        {
            throw new InvalidDataException("its cmap subtable runs past the table's end");
        }
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16BigEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32BigEndian(s[at..]);
}
