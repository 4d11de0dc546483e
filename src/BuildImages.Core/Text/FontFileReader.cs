using System.Buffers.Binary;
using System.Text;

namespace BuildImages.Core.Text;

/// <summary>
/// Reads what a font file says about its faces (<see cref="FontFace"/>): TrueType and CFF OpenType files, collections
/// (.ttc/.otc), WOFF and WOFF2 (told apart by their first bytes, not their names). Only the tables it needs are read
/// from a plain font (a 20 MB CJK font costs its cmap and name tables); every offset, length and count is checked, and a
/// file that is not a font, or is cut short or corrupt, throws <see cref="InvalidDataException"/> saying what is wrong.
/// </summary>
internal static class FontFileReader
{
    private const uint TrueType = 0x00010000, OpenTypeCff = 0x4F54544F /* OTTO */, AppleTrue = 0x74727565 /* true */, Collection = 0x74746366 /* ttcf */;
    private const uint Woff = 0x774F4646, Woff2 = 0x774F4632;
    private const int MaxTables = 256, MaxFacesInCollection = 1024;

    /// <summary>Tables larger than this are not read for the catalog (a name or cmap table is at most a few MB).</summary>
    private const int MaxTableBytes = 32 * 1024 * 1024;

    /// <summary>The tables a face is drawn from: damage to one of these is damage to every card the face draws.</summary>
    private static readonly HashSet<string> Needed = new(StringComparer.Ordinal)
    {
        "head", "hhea", "maxp", "hmtx", "cmap", "glyf", "loca", "CFF ", "CFF2", "CBDT", "CBLC", "EBDT", "EBLC", "sbix", "COLR", "CPAL",
    };

    private static readonly Lazy<Encoding> MacRoman = new(() => CodePagesEncodingProvider.Instance.GetEncoding(10000)!);

    /// <summary>The faces in <paramref name="path"/>, in the file's order.</summary>
    internal static IReadOnlyList<FontFace> Read(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length < 12)
        {
            var container = length < 4 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(ReadAt(handle, length, 0, 4));
            throw new InvalidDataException(length == 0 ? "the file is empty" : $"the file is too short to be a {container switch { Woff => "WOFF file", Woff2 => "WOFF2 file", _ => "font" }}");
        }
        if (Unpacked(handle, length) is { } sfnt)
        {
            return Faces(path, sfnt.Length, (offset, count) => Slice(sfnt, offset, count));
        }
        return Faces(path, length, (offset, count) => ReadAt(handle, length, offset, count));
    }

    /// <summary>
    /// The plain font inside a WOFF or WOFF2 file (told apart by its first bytes, not its name), or null for any other
    /// file: what HarfBuzz and Skia read, as neither reads the web containers.
    /// </summary>
    internal static byte[]? UnpackWebFont(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        return length < 4 ? null : Unpacked(handle, length);
    }

    private static byte[]? Unpacked(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length)
    {
        var tag = BinaryPrimitives.ReadUInt32BigEndian(ReadAt(handle, length, 0, 4));
        if (tag is not (Woff or Woff2))
        {
            return null;
        }
        if (length > WoffUnpacker.MaxFontBytes)
        {
            throw new InvalidDataException($"the file is {length / (1024 * 1024)} MB; a web font is at most {WoffUnpacker.MaxFontBytes / (1024 * 1024)} MB");
        }
        var packed = ReadAt(handle, length, 0, (int)length);
        try
        {
            return tag == Woff2 ? Woff2Decoder.ToSfnt(packed) : WoffUnpacker.ToSfnt(packed);
        }
        catch (Exception ex) when (ex is InvalidDataException or IndexOutOfRangeException or ArgumentException or OverflowException or EndOfStreamException)
        {
            // Hostile containers fail inside the decoders in many ways; the font set reports each as this file's fault.
            throw new InvalidDataException($"it is not a valid {(tag == Woff2 ? "WOFF2" : "WOFF")} file: {ex.Message}", ex);
        }
    }

    private static List<FontFace> Faces(string path, long length, Func<long, int, byte[]> read)
    {
        var tag = BinaryPrimitives.ReadUInt32BigEndian(read(0, 4));
        if (tag != Collection)
        {
            return [Face(path, 0, 0, length, read)];
        }
        var header = read(0, 12);
        var count = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        if (count == 0 || count > MaxFacesInCollection || 12 + (count * 4) > length)
        {
            throw new InvalidDataException($"the collection header lists {count} faces");
        }
        var offsets = read(12, (int)count * 4);
        var faces = new List<FontFace>((int)count);
        for (var i = 0; i < count; i++)
        {
            faces.Add(Face(path, i, BinaryPrimitives.ReadUInt32BigEndian(offsets.AsSpan(i * 4)), length, read));
        }
        return faces;
    }

    private static FontFace Face(string path, int index, long offset, long length, Func<long, int, byte[]> read)
    {
        var header = read(offset, 12);
        var version = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (version is not (TrueType or OpenTypeCff or AppleTrue))
        {
            throw new InvalidDataException(index == 0 && offset == 0 ? "it is not a font (no TrueType, OpenType, WOFF or WOFF2 signature)" : $"face {index} of the collection has no font signature");
        }
        var numTables = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        if (numTables > MaxTables)
        {
            throw new InvalidDataException($"it declares {numTables} tables; a font has at most {MaxTables}");
        }
        var directory = read(offset + 12, numTables * 16);
        var tables = new Dictionary<string, (uint Offset, uint Length)>(StringComparer.Ordinal);
        for (var i = 0; i < numTables; i++)
        {
            var record = directory.AsSpan(i * 16, 16);
            tables.TryAdd(Encoding.ASCII.GetString(record[..4]), (BinaryPrimitives.ReadUInt32BigEndian(record[8..]), BinaryPrimitives.ReadUInt32BigEndian(record[12..])));
        }
        var head = CheckDrawable(tables, length, Table);
        byte[]? Table(string name)
        {
            if (!tables.TryGetValue(name, out var entry))
            {
                return null;
            }
            if (entry.Length > MaxTableBytes)
            {
                throw new InvalidDataException($"its '{name}' table is {entry.Length} bytes");
            }
            return read(entry.Offset, (int)entry.Length);
        }

        var names = new NameTable(Table("name"));
        var os2 = Table("OS/2");
        var family = names.Get(16) ?? names.Get(1) ?? throw new InvalidDataException("it names no family (name IDs 1 and 16 are missing)");
        var subfamily = names.Get(17) ?? names.Get(2) ?? "Regular";
        var weight = os2 is { Length: >= 6 } ? BinaryPrimitives.ReadUInt16BigEndian(os2.AsSpan(4)) : 400;
        // Some old fonts give 1–9 for 100–900.
        weight = weight is >= 1 and <= 9 ? weight * 100 : Math.Clamp(weight == 0 ? 400 : weight, 1, 1000);
        var width = os2 is { Length: >= 8 } ? Math.Clamp((int)BinaryPrimitives.ReadUInt16BigEndian(os2.AsSpan(6)), 1, 9) : 5;
        var fsSelection = os2 is { Length: >= 64 } ? BinaryPrimitives.ReadUInt16BigEndian(os2.AsSpan(62)) : 0;
        var italic = (fsSelection & 1) != 0 || (os2 is not { Length: >= 64 } && head is { Length: >= 46 } && (BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(44)) & 2) != 0);
        // Oblique by OS/2's own bit, or by name as fontconfig decides it (DejaVu's "Bold Oblique" sets only the italic bit).
        var slant = (fsSelection & 0x200) != 0 || subfamily.Contains("Oblique", StringComparison.OrdinalIgnoreCase) ? FontSlant.Oblique
            : italic || subfamily.Contains("Italic", StringComparison.OrdinalIgnoreCase) ? FontSlant.Italic
            : FontSlant.Upright;
        var color = (tables.ContainsKey("COLR") && tables.ContainsKey("CPAL") ? FontColorFormats.Colr : 0)
            | (tables.ContainsKey("CBDT") && tables.ContainsKey("CBLC") ? FontColorFormats.Cbdt : 0)
            | (tables.ContainsKey("sbix") ? FontColorFormats.Sbix : 0)
            | (tables.ContainsKey("SVG ") ? FontColorFormats.Svg : 0);
        var cmap = Table("cmap");
        return new FontFace(
            path,
            index,
            family,
            subfamily,
            names.Get(4) ?? $"{family} {subfamily}",
            names.Get(6) ?? string.Empty,
            weight,
            width,
            slant,
            Axes(Table("fvar")),
            color,
            cmap is null ? CodepointSet.Empty : OpenTypeCmap.Coverage(cmap));
    }

    /// <summary>
    /// Refuses a face the drawing libraries would refuse or draw as nothing, while the catalog is read, so it is BI0402
    /// naming the file and not a card failing later: the tables FreeType (Skia) and HarfBuzz need are present, lie
    /// inside the file (a download cut short fails here) and hold what their headers promise. Other tables may be
    /// damaged: both libraries skip a table they cannot use. Returns the head table, which the face's slant reads too.
    /// </summary>
    private static byte[] CheckDrawable(Dictionary<string, (uint Offset, uint Length)> tables, long length, Func<string, byte[]?> table)
    {
        foreach (var name in (string[])["head", "hhea", "maxp", "hmtx"])
        {
            if (!tables.ContainsKey(name))
            {
                throw new InvalidDataException($"it has no '{name}' table, which every font needs");
            }
        }
        foreach (var (name, entry) in tables)
        {
            if (Needed.Contains(name) && (long)entry.Offset + entry.Length > length)
            {
                throw new InvalidDataException($"it is cut short: its '{name}' table runs past the file's end ({entry.Offset} + {entry.Length} bytes of {length})");
            }
        }
        if (!(tables.ContainsKey("glyf") && tables.ContainsKey("loca")) && !tables.ContainsKey("CFF ") && !tables.ContainsKey("CFF2")
            && !(tables.ContainsKey("CBDT") && tables.ContainsKey("CBLC")) && !(tables.ContainsKey("EBDT") && tables.ContainsKey("EBLC")) && !tables.ContainsKey("sbix"))
        {
            throw new InvalidDataException("it has no glyphs: none of the outline tables (glyf and loca, CFF, CFF2) or bitmap tables (CBDT, EBDT, sbix)");
        }
        var head = table("head")!;
        var unitsPerEm = head.Length >= 54 ? BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(18)) : 0;
        if (head.Length < 54 || BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(12)) != 0x5F0F3CF5 || unitsPerEm is < 16 or > 16384)
        {
            throw new InvalidDataException("its 'head' table is damaged (short, without its magic number, or with units per em outside 16–16384)");
        }
        var maxp = table("maxp")!;
        if (maxp.Length < 6 || BinaryPrimitives.ReadUInt16BigEndian(maxp.AsSpan(4)) == 0)
        {
            throw new InvalidDataException("its 'maxp' table is damaged or counts no glyphs");
        }
        if (table("hhea")!.Length < 36)
        {
            throw new InvalidDataException("its 'hhea' table is shorter than its 36 bytes");
        }
        return head;
    }

    private static FontAxis[] Axes(byte[]? fvar)
    {
        if (fvar is not { Length: >= 16 })
        {
            return [];
        }
        var span = fvar.AsSpan();
        int axesOffset = BinaryPrimitives.ReadUInt16BigEndian(span[4..]), count = BinaryPrimitives.ReadUInt16BigEndian(span[8..]), size = BinaryPrimitives.ReadUInt16BigEndian(span[10..]);
        if (size < 20 || axesOffset + ((long)count * size) > fvar.Length)
        {
            throw new InvalidDataException($"its fvar table lists {count} axes of {size} bytes but has room for fewer");
        }
        static float Fixed(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadInt32BigEndian(b) / 65536f;
        var axes = new FontAxis[count];
        for (var i = 0; i < count; i++)
        {
            var axis = span.Slice(axesOffset + (i * size), size);
            axes[i] = new FontAxis(Encoding.ASCII.GetString(axis[..4]), Fixed(axis[4..]), Fixed(axis[8..]), Fixed(axis[12..]));
        }
        return axes;
    }

    private static byte[] ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, long offset, int count)
    {
        if (count < 0 || offset < 0 || offset + count > length)
        {
            throw new InvalidDataException("it is cut short: a table or header runs past the file's end");
        }
        var buffer = new byte[count];
        var done = 0;
        while (done < count)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (n == 0)
            {
                throw new InvalidDataException("it is cut short: a table or header runs past the file's end");
            }
            done += n;
        }
        return buffer;
    }

    private static byte[] Slice(byte[] bytes, long offset, int count) =>
        count >= 0 && offset >= 0 && offset + count <= bytes.Length
            ? bytes.AsSpan((int)offset, count).ToArray()
            : throw new InvalidDataException("it is cut short: a table or header runs past the font's end");

    /// <summary>
    /// The name table's strings by ID, in the order fonts and browsers prefer them: Windows Unicode in US English,
    /// then Windows Unicode in any language, then Unicode platform, then Mac Roman English.
    /// </summary>
    private sealed class NameTable(byte[]? table)
    {
        internal string? Get(ushort id)
        {
            if (table is not { Length: >= 6 })
            {
                return null;
            }
            var span = table.AsSpan();
            int count = BinaryPrimitives.ReadUInt16BigEndian(span[2..]), storage = BinaryPrimitives.ReadUInt16BigEndian(span[4..]);
            if (6 + (count * 12) > table.Length)
            {
                throw new InvalidDataException($"its name table lists {count} names but has room for {(table.Length - 6) / 12}");
            }
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < count; i++)
            {
                var r = span.Slice(6 + (i * 12), 12);
                if (BinaryPrimitives.ReadUInt16BigEndian(r[6..]) != id)
                {
                    continue;
                }
                int platform = BinaryPrimitives.ReadUInt16BigEndian(r), encoding = BinaryPrimitives.ReadUInt16BigEndian(r[2..]), language = BinaryPrimitives.ReadUInt16BigEndian(r[4..]);
                var rank = (platform, encoding, language) switch
                {
                    (3, 1 or 10, 0x409) => 0,
                    (3, 1 or 10, _) => 1,
                    (0, _, _) => 2,
                    (1, 0, 0) => 3,
                    _ => int.MaxValue,
                };
                if (rank < bestRank)
                {
                    (best, bestRank) = (i, rank);
                }
            }
            if (best < 0)
            {
                return null;
            }
            var record = span.Slice(6 + (best * 12), 12);
            int length = BinaryPrimitives.ReadUInt16BigEndian(record[8..]), offset = BinaryPrimitives.ReadUInt16BigEndian(record[10..]);
            if (storage + offset + length > table.Length)
            {
                throw new InvalidDataException($"its name {id} runs past the name table's end");
            }
            var bytes = span.Slice(storage + offset, length);
            var text = bestRank == 3 ? MacRoman.Value.GetString(bytes) : Encoding.BigEndianUnicode.GetString(bytes);
            text = text.Trim().TrimEnd('\0');
            return text.Length == 0 ? null : text;
        }
    }
}
