using System.Buffers.Binary;

namespace BuildImages.Core.Encoders;

/// <summary>
/// Removes EXIF, XMP and ICC chunks from a WebP file. libvips 8.14 (Debian 12) writes an EXIF chunk built from
/// the image's resolution even when asked to strip, so the encoder's output is cleaned here.
/// </summary>
internal static class WebPMetadata
{
    private const byte IccFlag = 0x20;
    private const byte ExifFlag = 0x08;
    private const byte XmpFlag = 0x04;

    /// <summary>The file without metadata chunks; the input itself when it has none or is not a WebP container this understands.</summary>
    internal static byte[] Strip(byte[] webp)
    {
        if (webp.Length < 12 || !webp.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !webp.AsSpan(8, 4).SequenceEqual("WEBP"u8))
        {
            return webp;
        }
        var kept = new List<(int Start, int Length)>();
        var removed = false;
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(at + 4, 4));
            var length = 8 + (long)size + (size & 1);
            if (at + length > webp.Length)
            {
                return webp;
            }
            var fourCc = webp.AsSpan(at, 4);
            if (fourCc.SequenceEqual("EXIF"u8) || fourCc.SequenceEqual("XMP "u8) || fourCc.SequenceEqual("ICCP"u8))
            {
                removed = true;
            }
            else
            {
                kept.Add((at, (int)length));
            }
            at += (int)length;
        }
        if (!removed)
        {
            return webp;
        }
        var result = new byte[12 + kept.Sum(k => k.Length)];
        webp.AsSpan(0, 12).CopyTo(result);
        var offset = 12;
        foreach (var (start, length) in kept)
        {
            webp.AsSpan(start, length).CopyTo(result.AsSpan(offset));
            if (result.AsSpan(offset, 4).SequenceEqual("VP8X"u8))
            {
                result[offset + 8] &= unchecked((byte)~(IccFlag | ExifFlag | XmpFlag));
            }
            offset += length;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4, 4), (uint)(result.Length - 8));
        return result;
    }
}
