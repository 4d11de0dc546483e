using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BuildImages.Core.Pixels;

/// <summary>
/// The one place that converts between the canvas's pixels (premultiplied, B,G,R,A in memory on
/// little-endian) and the straight-alpha RGB(A) that libvips reads and writes.
/// </summary>
internal static class PixelConverter
{
    /// <summary>Straight RGB/RGBA/grey(+alpha) 8-bit pixels to premultiplied BGRA rows with the given stride.</summary>
    public static void ToPremultipliedBgra(ReadOnlySpan<byte> src, int bands, int width, int height, Span<byte> dst, int stride)
    {
        for (var y = 0; y < height; y++)
        {
            var srcRow = src.Slice(y * width * bands, width * bands);
            var dstRow = dst.Slice(y * stride, width * 4);
            for (var x = 0; x < width; x++)
            {
                byte r, g, b, a;
                var p = x * bands;
                switch (bands)
                {
                    case 1: r = g = b = srcRow[p]; a = 255; break;
                    case 2: r = g = b = srcRow[p]; a = srcRow[p + 1]; break;
                    case 3: r = srcRow[p]; g = srcRow[p + 1]; b = srcRow[p + 2]; a = 255; break;
                    default: r = srcRow[p]; g = srcRow[p + 1]; b = srcRow[p + 2]; a = srcRow[p + 3]; break;
                }
                var q = x * 4;
                dstRow[q] = Premultiply(b, a);
                dstRow[q + 1] = Premultiply(g, a);
                dstRow[q + 2] = Premultiply(r, a);
                dstRow[q + 3] = a;
            }
        }
    }

    /// <summary>Grey, grey+alpha, RGB or RGBA 8-bit pixels to straight RGBA.</summary>
    public static byte[] ToRgba(ReadOnlySpan<byte> src, int bands, int width, int height)
    {
        if (bands == 4)
        {
            return src[..(width * height * 4)].ToArray();
        }
        var dst = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            var p = i * bands;
            var (r, g, b, a) = bands switch
            {
                1 => (src[p], src[p], src[p], (byte)255),
                2 => (src[p], src[p], src[p], src[p + 1]),
                _ => (src[p], src[p + 1], src[p + 2], (byte)255),
            };
            dst[i * 4] = r;
            dst[(i * 4) + 1] = g;
            dst[(i * 4) + 2] = b;
            dst[(i * 4) + 3] = a;
        }
        return dst;
    }

    /// <summary>Whether every pixel of a premultiplied BGRA buffer is opaque (32 bytes at a time where the machine can).</summary>
    public static bool IsOpaque(ReadOnlySpan<byte> bgra, int width, int height, int stride)
    {
        var alpha = Vector256.Create(0xFF000000u).AsByte();
        for (var y = 0; y < height; y++)
        {
            var row = bgra.Slice(y * stride, width * 4);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                ref var start = ref MemoryMarshal.GetReference(row);
                for (; i + Vector256<byte>.Count <= row.Length; i += Vector256<byte>.Count)
                {
                    if ((Vector256.LoadUnsafe(ref start, (nuint)i) & alpha) != alpha)
                    {
                        return false;
                    }
                }
            }
            for (i += 3; i < row.Length; i += 4)
            {
                if (row[i] != 255)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Premultiplied BGRA to straight RGBA (4 bands) or RGB (3 bands; alpha composited over black, use only when opaque).</summary>
    public static byte[] FromPremultipliedBgra(ReadOnlySpan<byte> bgra, int width, int height, int stride, int bands)
    {
        var dst = new byte[width * height * bands];
        FromPremultipliedBgra(bgra, width, height, stride, bands, dst);
        return dst;
    }

    /// <summary>As <see cref="FromPremultipliedBgra(ReadOnlySpan{byte}, int, int, int, int)"/>, into <paramref name="dst"/> (at least width × height × bands long).</summary>
    public static void FromPremultipliedBgra(ReadOnlySpan<byte> bgra, int width, int height, int stride, int bands, Span<byte> dst)
    {
        for (var y = 0; y < height; y++)
        {
            var row = bgra.Slice(y * stride, width * 4);
            var o = dst.Slice(y * width * bands, width * bands);
            if (bands == 4)
            {
                RowToRgba(row, o);
            }
            else
            {
                RowToRgb(row, o);
            }
        }
    }

    // Every variant of every card goes through these two (2.5 full frames a card for WebP and JPEG at two widths): four
    // pixels at a time with one byte shuffle (constant indices: one pshufb or tbl), the rest of the row one by one. RGB
    // keeps the premultiplied values (composited over black, as the caller asks only for opaque frames); RGBA divides
    // any group of four with a pixel that is not opaque, one by one. Byte by byte it was 5% of the peer bench's CPU.
    private static void RowToRgb(ReadOnlySpan<byte> row, Span<byte> dst)
    {
        var pixels = row.Length / 4;
        var x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(row);
            ref var d = ref MemoryMarshal.GetReference(dst);
            // Each store writes 16 bytes of which 12 are the four pixels: stop while the 4 spare bytes are inside the row.
            for (; x + 4 <= pixels && (x * 3) + Vector128<byte>.Count <= dst.Length; x += 4)
            {
                Vector128.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(x * 4)), Vector128.Create((byte)2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80)).StoreUnsafe(ref d, (nuint)(x * 3));
            }
        }
        for (; x < pixels; x++)
        {
            dst[x * 3] = row[(x * 4) + 2];
            dst[(x * 3) + 1] = row[(x * 4) + 1];
            dst[(x * 3) + 2] = row[x * 4];
        }
    }

    private static void RowToRgba(ReadOnlySpan<byte> row, Span<byte> dst)
    {
        var pixels = row.Length / 4;
        var x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(row);
            ref var d = ref MemoryMarshal.GetReference(dst);
            var alpha = Vector128.Create(0xFF000000u).AsByte();
            for (; x + 4 <= pixels; x += 4)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)(x * 4));
                if ((v & alpha) == alpha)
                {
                    Vector128.Shuffle(v, Vector128.Create((byte)2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15)).StoreUnsafe(ref d, (nuint)(x * 4));
                    continue;
                }
                for (var p = x; p < x + 4; p++)
                {
                    UnpremultiplyPixel(row, dst, p);
                }
            }
        }
        for (; x < pixels; x++)
        {
            UnpremultiplyPixel(row, dst, x);
        }
    }

    private static void UnpremultiplyPixel(ReadOnlySpan<byte> row, Span<byte> dst, int x)
    {
        var q = x * 4;
        var a = row[q + 3];
        dst[q] = Unpremultiply(row[q + 2], a);
        dst[q + 1] = Unpremultiply(row[q + 1], a);
        dst[q + 2] = Unpremultiply(row[q], a);
        dst[q + 3] = a;
    }

    private static byte Premultiply(byte c, byte a) => a == 255 ? c : (byte)(((c * a) + 127) / 255);

    internal static byte Unpremultiply(byte c, byte a) => a switch
    {
        255 => c,
        0 => 0,
        _ => (byte)Math.Min(255, ((c * 255) + (a / 2)) / a),
    };
}
