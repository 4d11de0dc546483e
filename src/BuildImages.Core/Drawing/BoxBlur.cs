namespace BuildImages.Core.Drawing;

/// <summary>Three box-blur passes per axis on an 8-bit alpha plane: a close, fast Gaussian.</summary>
internal static class BoxBlur
{
    internal static void Gaussian(Span<byte> plane, int width, int height, int stride, double sigma)
    {
        if (sigma < 0.5 || width == 0 || height == 0)
        {
            return;
        }
        var sizes = BoxSizes(sigma);
        var scratch = new byte[width];
        foreach (var size in sizes)
        {
            var r = (size - 1) / 2;
            for (var y = 0; y < height; y++)
            {
                var row = plane.Slice(y * stride, width);
                Pass(row, scratch, r);
                scratch.CopyTo(row);
            }
            VerticalPass(plane, width, height, stride, r);
        }
    }

    /// <summary>The column pass done row by row with one running sum per column (cache-friendly).</summary>
    private static void VerticalPass(Span<byte> plane, int width, int height, int stride, int r)
    {
        var inv = (1L << 24) / ((2 * r) + 1);
        var sums = new long[width];
        var src = plane[..((height - 1) * stride + width)].ToArray();
        for (var i = 0; i <= r && i < height; i++)
        {
            var row = src.AsSpan(i * stride, width);
            for (var x = 0; x < width; x++)
            {
                sums[x] += row[x];
            }
        }
        for (var y = 0; y < height; y++)
        {
            var dst = plane.Slice(y * stride, width);
            for (var x = 0; x < width; x++)
            {
                dst[x] = (byte)(((sums[x] * inv) + (1 << 23)) >> 24);
            }
            var add = y + r + 1;
            var remove = y - r;
            if (add < height)
            {
                var row = src.AsSpan(add * stride, width);
                for (var x = 0; x < width; x++)
                {
                    sums[x] += row[x];
                }
            }
            if (remove >= 0)
            {
                var row = src.AsSpan(remove * stride, width);
                for (var x = 0; x < width; x++)
                {
                    sums[x] -= row[x];
                }
            }
        }
    }

    private static void Pass(ReadOnlySpan<byte> src, Span<byte> dst, int r)
    {
        var n = src.Length;
        var inv = (1L << 24) / ((2 * r) + 1);
        long sum = 0;
        for (var i = -r; i <= r; i++)
        {
            sum += i >= 0 && i < n ? src[i] : 0;
        }
        for (var i = 0; i < n; i++)
        {
            dst[i] = (byte)(((sum * inv) + (1 << 23)) >> 24);
            var add = i + r + 1;
            var remove = i - r;
            sum += (add < n ? src[add] : 0) - (remove >= 0 ? src[remove] : 0);
        }
    }

    /// <summary>Box widths whose three passes approximate a Gaussian of <paramref name="sigma"/> (Kovesi).</summary>
    private static int[] BoxSizes(double sigma)
    {
        const int n = 3;
        var ideal = Math.Sqrt((12 * sigma * sigma / n) + 1);
        var wl = (int)Math.Floor(ideal);
        if (wl % 2 == 0)
        {
            wl--;
        }
        var wu = wl + 2;
        var m = (int)Math.Round(((12 * sigma * sigma) - (n * wl * wl) - (4 * n * wl) - (3 * n)) / ((-4 * wl) - 4));
        return Enumerable.Range(0, n).Select(i => i < m ? wl : wu).ToArray();
    }
}
