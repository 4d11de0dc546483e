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

    /// <summary>Whether every pixel of a premultiplied BGRA buffer is opaque.</summary>
    public static bool IsOpaque(ReadOnlySpan<byte> bgra, int width, int height, int stride)
    {
        for (var y = 0; y < height; y++)
        {
            var row = bgra.Slice(y * stride, width * 4);
            for (var x = 3; x < row.Length; x += 4)
            {
                if (row[x] != 255)
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
            var o = y * width * bands;
            for (var x = 0; x < width; x++)
            {
                var q = x * 4;
                var a = row[q + 3];
                if (bands == 4)
                {
                    dst[o] = Unpremultiply(row[q + 2], a);
                    dst[o + 1] = Unpremultiply(row[q + 1], a);
                    dst[o + 2] = Unpremultiply(row[q], a);
                    dst[o + 3] = a;
                }
                else
                {
                    dst[o] = row[q + 2];
                    dst[o + 1] = row[q + 1];
                    dst[o + 2] = row[q];
                }
                o += bands;
            }
        }
    }

    private static byte Premultiply(byte c, byte a) => a == 255 ? c : (byte)(((c * a) + 127) / 255);

    internal static byte Unpremultiply(byte c, byte a) => a switch
    {
        255 => c,
        0 => 0,
        _ => (byte)Math.Min(255, ((c * 255) + (a / 2)) / a),
    };
}
