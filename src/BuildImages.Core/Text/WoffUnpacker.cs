using System.Buffers.Binary;
using System.IO.Compression;

namespace BuildImages.Core.Text;

/// <summary>
/// Unpacks WOFF 1.0 (zlib-compressed tables) to a plain SFNT (TTF/OTF): HarfBuzz and Skia read SFNTs, not the
/// container, so a project's .woff fonts are unpacked in memory when the font set reads them.
/// </summary>
internal static class WoffUnpacker
{
    private const uint WoffSignature = 0x774F4646; // 'wOFF'

    /// <summary>The same cap as the WOFF2 decoder's: the largest CJK fonts are about 20 MB unpacked.</summary>
    internal const long MaxFontBytes = 64L * 1024 * 1024;

    /// <summary>OpenType defines a few dozen table tags; real fonts carry at most ~40.</summary>
    private const int MaxTables = 256;

    internal static byte[] ToSfnt(byte[] woff)
    {
        var span = woff.AsSpan();
        if (woff.Length < 44 || BinaryPrimitives.ReadUInt32BigEndian(span) != WoffSignature)
        {
            throw new InvalidDataException("not a WOFF 1.0 file");
        }
        var flavor = BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        var numTables = BinaryPrimitives.ReadUInt16BigEndian(span[12..]);
        if (numTables > MaxTables || 44 + (numTables * 20) > woff.Length)
        {
            throw new InvalidDataException($"WOFF header declares {numTables} tables; a font has at most {MaxTables} and this file has room for fewer");
        }
        // Decided from the directory before anything is inflated: tables may share one small zlib stream
        // that inflates to gigabytes (a 66 KB file with 60 tables took 4 GB before this check).
        long declared = 0;
        for (var i = 0; i < numTables; i++)
        {
            declared += BinaryPrimitives.ReadUInt32BigEndian(span.Slice(44 + (i * 20) + 12, 4));
        }
        if (declared > MaxFontBytes)
        {
            throw new InvalidDataException($"WOFF declares {declared:N0} bytes of tables; the limit is {MaxFontBytes:N0}");
        }
        var tables = new List<(uint Tag, uint Checksum, byte[] Data)>(numTables);
        for (var i = 0; i < numTables; i++)
        {
            var entry = span.Slice(44 + (i * 20), 20);
            var tag = BinaryPrimitives.ReadUInt32BigEndian(entry);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
            var compLength = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            var origLength = (int)BinaryPrimitives.ReadUInt32BigEndian(entry[12..]);
            var checksum = BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
            if ((long)offset + compLength > woff.Length || compLength > origLength)
            {
                throw new InvalidDataException("WOFF table directory is out of range");
            }
            byte[] data;
            if (compLength == origLength)
            {
                data = woff.AsSpan((int)offset, origLength).ToArray();
            }
            else
            {
                using var z = new ZLibStream(new MemoryStream(woff, (int)offset, (int)compLength), CompressionMode.Decompress);
                data = new byte[origLength];
                try
                {
                    z.ReadExactly(data);
                }
                catch (EndOfStreamException ex)
                {
                    throw new InvalidDataException("a WOFF table inflates to less than its directory declares", ex);
                }
                if (z.ReadByte() >= 0)
                {
                    throw new InvalidDataException("a WOFF table inflates to more than its directory declares");
                }
            }
            tables.Add((tag, checksum, data));
        }
        tables.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        var headerSize = 12 + (16 * numTables);
        var total = headerSize + tables.Sum(t => (t.Data.Length + 3) & ~3);
        var sfnt = new byte[total];
        var o = sfnt.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(o, flavor);
        BinaryPrimitives.WriteUInt16BigEndian(o[4..], numTables);
        var entrySelector = (ushort)Math.Floor(Math.Log2(Math.Max(1, (int)numTables)));
        var searchRange = (ushort)((1 << entrySelector) * 16);
        BinaryPrimitives.WriteUInt16BigEndian(o[6..], searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(o[8..], entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(o[10..], (ushort)((numTables * 16) - searchRange));
        var dataOffset = headerSize;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tag, checksum, data) = tables[i];
            var record = o.Slice(12 + (i * 16), 16);
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)dataOffset);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            data.CopyTo(o[dataOffset..]);
            dataOffset += (data.Length + 3) & ~3;
        }
        return sfnt;
    }
}
