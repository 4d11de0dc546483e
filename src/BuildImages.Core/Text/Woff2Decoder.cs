using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace BuildImages.Core.Text;

/// <summary>
/// Decodes WOFF2 to a plain SFNT (TTF/OTF) for HarfBuzz and Skia: brotli-decompress the table data, undo
/// the glyf/loca transform (triplet-encoded points) and the hmtx transform, then lay the tables out as
/// an SFNT. Follows the W3C WOFF2 specification, sections 4–5; font collections are not supported.
/// </summary>
internal static class Woff2Decoder
{
    private const uint Signature = 0x774F4632; // 'wOF2'
    private const uint GlyfTag = 0x676C7966, LocaTag = 0x6C6F6361, HmtxTag = 0x686D7478, HheaTag = 0x68686561, MaxpTag = 0x6D617870, HeadTag = 0x68656164;

    private static readonly string[] KnownTags =
    [
        "cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca", "prep", "CFF ", "VORG", "EBDT",
        "EBLC", "gasp", "hdmx", "kern", "LTSH", "PCLT", "VDMX", "vhea", "vmtx", "BASE", "GDEF", "GPOS", "GSUB", "EBSC", "JSTF", "MATH",
        "CBDT", "CBLC", "COLR", "CPAL", "SVG ", "sbix", "acnt", "avar", "bdat", "bloc", "bsln", "cvar", "fdsc", "feat", "fmtx", "fvar",
        "gvar", "hsty", "just", "lcar", "mort", "morx", "opbd", "prop", "trak", "Zapf", "Silf", "Glat", "Gloc", "Feat", "Sill",
    ];

    private const long MaxFontBytes = 64L * 1024 * 1024;
    private const int MaxPointsPerGlyph = 1 << 20;

    private sealed record Entry(uint Tag, int OrigLength, int StoredLength, bool Transformed);

    /// <summary>
    /// The table data: exactly <paramref name="expected"/> bytes, or <see cref="InvalidDataException"/> saying why not
    /// (brotli that does not decode, data cut short, or more than the directory declares).
    /// </summary>
    private static byte[] Decompress(ReadOnlySpan<byte> compressed, int expected)
    {
        var data = GC.AllocateUninitializedArray<byte>(expected);
        using var decoder = new BrotliDecoder();
        var status = decoder.Decompress(compressed, data, out _, out var written);
        if (status == OperationStatus.DestinationTooSmall)
        {
            throw new InvalidDataException("WOFF2 data decompresses to more than its directory declares");
        }
        if (status == OperationStatus.InvalidData)
        {
            throw new InvalidDataException("WOFF2 data does not decompress: the brotli stream is invalid");
        }
        if (status == OperationStatus.NeedMoreData || written < expected)
        {
            throw new InvalidDataException("WOFF2 table data is shorter than its directory");
        }
        return data;
    }

    internal static byte[] ToSfnt(byte[] woff2)
    {
        var r = new Reader(woff2);
        if (r.U32() != Signature)
        {
            throw new InvalidDataException("not a WOFF2 file");
        }
        var flavor = r.U32();
        if (flavor == 0x74746366)
        {
            throw new InvalidDataException("WOFF2 font collections are not supported");
        }
        r.Skip(4);
        var numTables = r.U16();
        r.Skip(2 + 4);
        var compressedSize = (int)r.U32();
        r.Skip(4 + 20);
        var entries = new List<Entry>(numTables);
        for (var i = 0; i < numTables; i++)
        {
            var flags = r.U8();
            var tag = (flags & 0x3F) == 63 ? r.U32() : TagValue(KnownTags[flags & 0x3F]);
            var version = (flags >> 6) & 3;
            var orig = (int)r.Base128();
            var transformed = tag is GlyfTag or LocaTag ? version == 0 : version != 0;
            var stored = transformed ? (int)r.Base128() : orig;
            entries.Add(new Entry(tag, orig, stored, transformed));
        }
        // A decompression bomb stops at the size the directory declares (and never past 64 MiB): the stream is
        // decompressed in one call into an array of exactly that size (a growing stream and its copies were most of
        // the 150 ms the shipped 10 MB emoji font took to read at every engine start).
        var expected = entries.Sum(e => (long)e.StoredLength);
        if (expected > MaxFontBytes)
        {
            throw new InvalidDataException($"WOFF2 declares {expected:N0} bytes of tables; the limit is {MaxFontBytes:N0}");
        }
        var data = Decompress(woff2.AsSpan(r.Position, Math.Max(0, Math.Min(compressedSize, woff2.Length - r.Position))), (int)expected);
        var tables = new Dictionary<uint, byte[]>();
        var offset = 0;
        foreach (var e in entries)
        {
            if (offset + e.StoredLength > data.Length)
            {
                throw new InvalidDataException("WOFF2 table data is shorter than its directory");
            }
            tables[e.Tag] = data.AsSpan(offset, e.StoredLength).ToArray();
            offset += e.StoredLength;
        }
        var glyf = entries.FirstOrDefault(e => e.Tag == GlyfTag);
        short[]? xMins = null;
        if (glyf is { Transformed: true })
        {
            if (!entries.Any(e => e.Tag == LocaTag))
            {
                throw new InvalidDataException("transformed glyf without a loca table");
            }
            var (glyfData, locaData, mins) = ReconstructGlyf(tables[GlyfTag]);
            tables[GlyfTag] = glyfData;
            tables[LocaTag] = locaData;
            xMins = mins;
        }
        var hmtx = entries.FirstOrDefault(e => e.Tag == HmtxTag);
        if (hmtx is { Transformed: true })
        {
            tables[HmtxTag] = ReconstructHmtx(tables[HmtxTag], tables, xMins ?? throw new InvalidDataException("transformed hmtx needs glyf"));
        }
        return Assemble(flavor, tables);
    }

    private static (byte[] Glyf, byte[] Loca, short[] XMins) ReconstructGlyf(byte[] t)
    {
        var h = new Reader(t);
        h.Skip(2);
        var optionFlags = h.U16();
        var numGlyphs = h.U16();
        var indexFormat = h.U16();
        var sizes = new int[7];
        for (var i = 0; i < 7; i++)
        {
            sizes[i] = (int)h.U32();
        }
        var starts = new int[7];
        var pos = h.Position;
        for (var i = 0; i < 7; i++)
        {
            starts[i] = pos;
            pos += sizes[i];
        }
        var nContours = new Reader(t, starts[0]);
        var nPoints = new Reader(t, starts[1]);
        var flagStream = new Reader(t, starts[2]);
        var glyphStream = new Reader(t, starts[3]);
        var composite = new Reader(t, starts[4]);
        var bboxBitmapLength = 4 * ((numGlyphs + 31) / 32);
        var bboxBitmap = t.AsSpan(starts[5], bboxBitmapLength).ToArray();
        var bbox = new Reader(t, starts[5] + bboxBitmapLength);
        var instructions = new Reader(t, starts[6]);
        var overlap = (optionFlags & 1) != 0 ? t.AsSpan(pos, (numGlyphs + 7) / 8).ToArray() : null;

        // One output buffer for the whole table and point arrays reused from glyph to glyph: a glyph costs its points,
        // not its own streams and arrays (the shipped COLRv1 emoji font has outlines for every glyph).
        var glyf = new Writer(t.Length * 2);
        var scratch = new PointScratch();
        var loca = new int[numGlyphs + 1];
        var xMins = new short[numGlyphs];
        for (var g = 0; g < numGlyphs; g++)
        {
            loca[g] = glyf.Position;
            var contours = (short)nContours.U16();
            var hasBbox = (bboxBitmap[g >> 3] & (0x80 >> (g & 7))) != 0;
            if (contours == 0)
            {
                continue;
            }
            if (contours < 0)
            {
                var box = ReadBox(bbox);
                xMins[g] = box[0];
                glyf.I16(-1);
                foreach (var v in box)
                {
                    glyf.I16(v);
                }
                var start = composite.Position;
                bool more, instr = false;
                do
                {
                    var flags = composite.U16();
                    composite.Skip(2);
                    composite.Skip((flags & 0x0001) != 0 ? 4 : 2);
                    composite.Skip((flags & 0x0008) != 0 ? 2 : (flags & 0x0040) != 0 ? 4 : (flags & 0x0080) != 0 ? 8 : 0);
                    instr |= (flags & 0x0100) != 0;
                    more = (flags & 0x0020) != 0;
                }
                while (more);
                glyf.Bytes(t.AsSpan(start, composite.Position - start));
                if (instr)
                {
                    var n = glyphStream.U255();
                    glyf.U16((ushort)n);
                    glyf.Bytes(instructions.Take(n));
                }
            }
            else
            {
                var ends = scratch.Ends(contours);
                var total = 0;
                for (var c = 0; c < contours; c++)
                {
                    total += nPoints.U255();
                    if (total > MaxPointsPerGlyph)
                    {
                        throw new InvalidDataException($"glyph {g} claims {total:N0} points");
                    }
                    ends[c] = total - 1;
                }
                scratch.Grow(total);
                var xs = scratch.Xs(total);
                var ys = scratch.Ys(total);
                var on = scratch.On(total);
                int x = 0, y = 0;
                for (var p = 0; p < total; p++)
                {
                    var f = flagStream.U8();
                    on[p] = (f >> 7) == 0;
                    var (dx, dy) = Triplet(f & 0x7F, glyphStream);
                    x += dx;
                    y += dy;
                    xs[p] = x;
                    ys[p] = y;
                }
                var instructionLength = glyphStream.U255();
                short[] box;
                if (hasBbox)
                {
                    box = ReadBox(bbox);
                }
                else
                {
                    box = total == 0 ? [0, 0, 0, 0] : [(short)Min(xs), (short)Min(ys), (short)Max(xs), (short)Max(ys)];
                }
                xMins[g] = box[0];
                glyf.I16(contours);
                foreach (var v in box)
                {
                    glyf.I16(v);
                }
                foreach (var e in ends)
                {
                    glyf.U16((ushort)e);
                }
                glyf.U16((ushort)instructionLength);
                glyf.Bytes(instructions.Take(instructionLength));
                WritePoints(glyf, scratch, xs, ys, on, overlap is not null && (overlap[g >> 3] & (0x80 >> (g & 7))) != 0);
            }
            while (glyf.Position % 4 != 0)
            {
                glyf.U8(0);
            }
        }
        loca[numGlyphs] = glyf.Position;
        var locaWriter = new Writer((numGlyphs + 1) * 4);
        foreach (var o in loca)
        {
            if (indexFormat == 0)
            {
                locaWriter.U16((ushort)(o / 2));
            }
            else
            {
                locaWriter.U32((uint)o);
            }
        }
        return (glyf.ToArray(), locaWriter.ToArray(), xMins);
    }

    private static int Min(ReadOnlySpan<int> values)
    {
        var min = int.MaxValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
        }
        return min;
    }

    private static int Max(ReadOnlySpan<int> values)
    {
        var max = int.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }

    /// <summary>Arrays a glyph's contours and points are decoded into, grown as needed and reused for the next glyph.</summary>
    private sealed class PointScratch
    {
        private int[] _ends = new int[64];
        private int[] _xs = new int[1024];
        private int[] _ys = new int[1024];
        private bool[] _on = new bool[1024];
        private byte[] _flags = new byte[1024];

        internal Writer XBytes { get; } = new(4096);
        internal Writer YBytes { get; } = new(4096);

        internal Span<int> Ends(int count)
        {
            if (_ends.Length < count)
            {
                _ends = new int[Math.Max(count, _ends.Length * 2)];
            }
            return _ends.AsSpan(0, count);
        }

        /// <summary>Room for <paramref name="count"/> points in every point array.</summary>
        internal void Grow(int count)
        {
            if (_xs.Length < count)
            {
                var size = Math.Max(count, _xs.Length * 2);
                (_xs, _ys, _on, _flags) = (new int[size], new int[size], new bool[size], new byte[size]);
            }
        }

        internal Span<int> Xs(int count) => _xs.AsSpan(0, count);

        internal Span<int> Ys(int count) => _ys.AsSpan(0, count);

        internal Span<bool> On(int count) => _on.AsSpan(0, count);

        internal Span<byte> Flags(int count) => _flags.AsSpan(0, count);
    }

    private static short[] ReadBox(Reader bbox) => [(short)bbox.U16(), (short)bbox.U16(), (short)bbox.U16(), (short)bbox.U16()];

    private static void WritePoints(Writer w, PointScratch scratch, ReadOnlySpan<int> xs, ReadOnlySpan<int> ys, ReadOnlySpan<bool> on, bool overlap)
    {
        var flags = scratch.Flags(xs.Length);
        var xw = scratch.XBytes;
        var yw = scratch.YBytes;
        xw.Clear();
        yw.Clear();
        int px = 0, py = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var f = on[i] ? 0x01 : 0x00;
            if (i == 0 && overlap)
            {
                f |= 0x40;
            }
            var dx = xs[i] - px;
            var dy = ys[i] - py;
            if (dx == 0)
            {
                f |= 0x10;
            }
            else if (dx is > -256 and < 256)
            {
                f |= 0x02 | (dx > 0 ? 0x10 : 0);
                xw.U8((byte)Math.Abs(dx));
            }
            else
            {
                xw.I16((short)dx);
            }
            if (dy == 0)
            {
                f |= 0x20;
            }
            else if (dy is > -256 and < 256)
            {
                f |= 0x04 | (dy > 0 ? 0x20 : 0);
                yw.U8((byte)Math.Abs(dy));
            }
            else
            {
                yw.I16((short)dy);
            }
            flags[i] = (byte)f;
            (px, py) = (xs[i], ys[i]);
        }
        w.Bytes(flags);
        w.Bytes(xw.Written);
        w.Bytes(yw.Written);
    }

    /// <summary>The WOFF2 triplet encoding of one point's (dx, dy) (specification section 5.2).</summary>
    private static (int Dx, int Dy) Triplet(int flag, Reader s)
    {
        static int Sign(int f, int v) => (f & 1) != 0 ? v : -v;
        if (flag < 10)
        {
            return (0, Sign(flag, ((flag & 14) << 7) + s.U8()));
        }
        if (flag < 20)
        {
            return (Sign(flag, (((flag - 10) & 14) << 7) + s.U8()), 0);
        }
        if (flag < 84)
        {
            var b0 = flag - 20;
            var b1 = s.U8();
            return (Sign(flag, 1 + (b0 & 0x30) + (b1 >> 4)), Sign(flag >> 1, 1 + ((b0 & 0x0C) << 2) + (b1 & 0x0F)));
        }
        if (flag < 120)
        {
            var b0 = flag - 84;
            var a = s.U8();
            var b = s.U8();
            return (Sign(flag, 1 + ((b0 / 12) << 8) + a), Sign(flag >> 1, 1 + (((b0 % 12) >> 2) << 8) + b));
        }
        if (flag < 124)
        {
            var a = s.U8();
            var b = s.U8();
            var c = s.U8();
            return (Sign(flag, (a << 4) + (b >> 4)), Sign(flag >> 1, ((b & 0x0F) << 8) + c));
        }
        var p = s.U8();
        var q = s.U8();
        var r2 = s.U8();
        var t = s.U8();
        return (Sign(flag, (p << 8) + q), Sign(flag >> 1, (r2 << 8) + t));
    }

    private static byte[] ReconstructHmtx(byte[] t, Dictionary<uint, byte[]> tables, short[] xMins)
    {
        if (!tables.TryGetValue(HheaTag, out var hhea) || hhea.Length < 36 || !tables.TryGetValue(MaxpTag, out var maxp) || maxp.Length < 6)
        {
            throw new InvalidDataException("transformed hmtx needs hhea and maxp tables");
        }
        var numHMetrics = BinaryPrimitives.ReadUInt16BigEndian(hhea.AsSpan(34));
        var numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(maxp.AsSpan(4));
        if (numHMetrics > numGlyphs || xMins.Length < numGlyphs)
        {
            throw new InvalidDataException("hmtx metrics do not match the glyph count");
        }
        var r = new Reader(t);
        var flags = r.U8();
        var advances = new ushort[numHMetrics];
        for (var i = 0; i < numHMetrics; i++)
        {
            advances[i] = r.U16();
        }
        var w = new Writer();
        var lsbs = new short[numGlyphs];
        for (var i = 0; i < numHMetrics; i++)
        {
            lsbs[i] = (flags & 1) != 0 ? xMins[i] : (short)r.U16();
        }
        for (var i = numHMetrics; i < numGlyphs; i++)
        {
            lsbs[i] = (flags & 2) != 0 ? xMins[i] : (short)r.U16();
        }
        for (var i = 0; i < numGlyphs; i++)
        {
            if (i < numHMetrics)
            {
                w.U16(advances[i]);
            }
            w.I16(lsbs[i]);
        }
        return w.ToArray();
    }

    private static byte[] Assemble(uint flavor, Dictionary<uint, byte[]> tables)
    {
        var ordered = tables.OrderBy(t => t.Key).ToList();
        if (tables.TryGetValue(HeadTag, out var head) && head.Length >= 12)
        {
            BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0);
        }
        var n = ordered.Count;
        var size = 12L + (16L * n) + ordered.Sum(t => (long)((t.Value.Length + 3) & ~3));
        // Written in place into its exact size (padding stays zero), not through a growing stream.
        var sfnt = new byte[size];
        var span = sfnt.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, flavor);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)n);
        var selector = (int)Math.Floor(Math.Log2(Math.Max(1, n)));
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)((1 << selector) * 16));
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)selector);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)((n * 16) - ((1 << selector) * 16)));
        var offset = 12 + (16 * n);
        for (var i = 0; i < n; i++)
        {
            var (tag, bytes) = ordered[i];
            var record = span.Slice(12 + (16 * i), 16);
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(bytes));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)bytes.Length);
            bytes.CopyTo(span[offset..]);
            offset += (bytes.Length + 3) & ~3;
        }
        return sfnt;
    }

    /// <summary>The SFNT table checksum: the sum of the table's big-endian 32-bit words, the last one padded with zeros.</summary>
    private static uint Checksum(byte[] b)
    {
        uint sum = 0;
        var whole = b.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(i));
        }
        if (whole < b.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            b.AsSpan(whole).CopyTo(last);
            sum += BinaryPrimitives.ReadUInt32BigEndian(last);
        }
        return sum;
    }

    private static uint TagValue(string tag) => ((uint)tag[0] << 24) | ((uint)tag[1] << 16) | ((uint)tag[2] << 8) | tag[3];

    private sealed class Reader(byte[] data, int position = 0)
    {
        public int Position { get; private set; } = position;

        public byte U8() => Position < data.Length ? data[Position++] : throw new InvalidDataException("WOFF2 data ends early");

        public ushort U16() => (ushort)((U8() << 8) | U8());

        public uint U32() => ((uint)U16() << 16) | U16();

        public void Skip(int n) => Position = Position + n <= data.Length ? Position + n : throw new InvalidDataException("WOFF2 data ends early");

        public ReadOnlySpan<byte> Take(int n)
        {
            var start = Position;
            Skip(n);
            return data.AsSpan(start, n);
        }

        public uint Base128()
        {
            uint value = 0;
            for (var i = 0; i < 5; i++)
            {
                var b = U8();
                if (i == 0 && b == 0x80)
                {
                    throw new InvalidDataException("bad UIntBase128");
                }
                if ((value & 0xFE000000) != 0)
                {
                    throw new InvalidDataException("UIntBase128 overflow");
                }
                value = (value << 7) | (uint)(b & 0x7F);
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
            throw new InvalidDataException("UIntBase128 too long");
        }

        public int U255()
        {
            var code = U8();
            return code switch
            {
                253 => U16(),
                255 => U8() + 253,
                254 => U8() + 506,
                _ => code,
            };
        }
    }

    /// <summary>Big-endian writes into the BCL's growable buffer (the glyph reconstruction writes a few bytes at a time).</summary>
    private sealed class Writer(int capacity = 256)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(Math.Max(16, capacity));

        public int Position => _buffer.WrittenCount;

        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

        public void U8(byte v)
        {
            _buffer.GetSpan(1)[0] = v;
            _buffer.Advance(1);
        }

        public void U16(ushort v)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), v);
            _buffer.Advance(2);
        }

        public void I16(short v) => U16((ushort)v);

        public void U32(uint v)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), v);
            _buffer.Advance(4);
        }

        public void Bytes(ReadOnlySpan<byte> b) => _buffer.Write(b);

        /// <summary>Empties the buffer, keeping its capacity.</summary>
        public void Clear() => _buffer.ResetWrittenCount();

        public byte[] ToArray() => Written.ToArray();
    }
}
