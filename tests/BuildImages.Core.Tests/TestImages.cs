using System.Buffers.Binary;
using System.IO.Hashing;

namespace BuildImages.Core.Tests;

/// <summary>Hand-made image files for hostile-input tests.</summary>
internal static class TestImages
{
    /// <summary>A PNG signature and an IHDR chunk (8-bit RGBA) with a correct CRC, then an empty IDAT and IEND: the header claims any size.</summary>
    internal static byte[] PngHeaderOnly(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        Chunk(ms, "IHDR"u8, ihdr);
        Chunk(ms, "IDAT"u8, []);
        Chunk(ms, "IEND"u8, []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(type);
        s.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, crc.GetCurrentHashAsUInt32());
        s.Write(c);
    }
    /// <summary>
    /// An ICC v2 display profile for Adobe RGB (1998), written here because Debian's libvips ships none: the
    /// D50-adapted colorants and the 563/256 gamma of Adobe's specification, as the matrix/TRC profile that
    /// cameras embed. The test checks the profile against Adobe RGB's own values, not only against itself.
    /// </summary>
    internal static byte[] AdobeRgbProfile()
    {
        static byte[] Xyz(double x, double y, double z)
        {
            var b = new byte[20];
            "XYZ "u8.CopyTo(b);
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), (int)Math.Round(x * 65536));
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), (int)Math.Round(y * 65536));
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), (int)Math.Round(z * 65536));
            return b;
        }
        var name = "Adobe RGB (1998), test copy"u8.ToArray();
        var desc = new byte[12 + name.Length + 1 + 4 + 4 + 2 + 1 + 67];
        "desc"u8.CopyTo(desc);
        BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(8), (uint)name.Length + 1);
        name.CopyTo(desc, 12);
        var cprt = new byte[8 + 14];
        "text"u8.CopyTo(cprt);
        "No copyright"u8.CopyTo(cprt.AsSpan(8));
        var curve = new byte[14];
        "curv"u8.CopyTo(curve);
        BinaryPrimitives.WriteUInt32BigEndian(curve.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(curve.AsSpan(12), 0x0233);
        (string Sig, byte[] Data)[] tags =
        [
            ("desc", desc), ("cprt", cprt), ("wtpt", Xyz(0.9642, 1.0, 0.8249)),
            ("rXYZ", Xyz(0.6097559, 0.3111145, 0.0194702)), ("gXYZ", Xyz(0.2052401, 0.6256714, 0.0608902)), ("bXYZ", Xyz(0.1492004, 0.0632141, 0.7445679)),
            ("rTRC", curve), ("gTRC", curve), ("bTRC", curve),
        ];
        using var body = new MemoryStream();
        var table = new byte[4 + (12 * tags.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(table, (uint)tags.Length);
        var offset = 128 + table.Length;
        for (var i = 0; i < tags.Length; i++)
        {
            var (sig, data) = tags[i];
            System.Text.Encoding.ASCII.GetBytes(sig).CopyTo(table, 4 + (12 * i));
            BinaryPrimitives.WriteUInt32BigEndian(table.AsSpan(8 + (12 * i)), (uint)(offset + body.Length));
            BinaryPrimitives.WriteUInt32BigEndian(table.AsSpan(12 + (12 * i)), (uint)data.Length);
            body.Write(data);
            while (body.Length % 4 != 0)
            {
                body.WriteByte(0);
            }
        }
        var profile = new byte[offset + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(profile, (uint)profile.Length);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(8), 0x02100000);
        "mntrRGB XYZ "u8.CopyTo(profile.AsSpan(12));
        BinaryPrimitives.WriteUInt16BigEndian(profile.AsSpan(24), 2026);
        BinaryPrimitives.WriteUInt16BigEndian(profile.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16BigEndian(profile.AsSpan(28), 1);
        "acsp"u8.CopyTo(profile.AsSpan(36));
        BinaryPrimitives.WriteInt32BigEndian(profile.AsSpan(68), (int)Math.Round(0.9642 * 65536));
        BinaryPrimitives.WriteInt32BigEndian(profile.AsSpan(72), 65536);
        BinaryPrimitives.WriteInt32BigEndian(profile.AsSpan(76), (int)Math.Round(0.8249 * 65536));
        table.CopyTo(profile, 128);
        body.ToArray().CopyTo(profile, offset);
        return profile;
    }
}
