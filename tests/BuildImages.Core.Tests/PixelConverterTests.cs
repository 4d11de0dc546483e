using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>
/// The canvas-to-encoder conversions, whose vector paths (four pixels per shuffle, 32 alpha bytes per compare) must
/// give what a pixel-by-pixel reading of their definition gives: every width from 1 to 37 (the vector loop's ends and
/// tails), rows padded past the width, opaque frames, and frames with a transparent or half-transparent pixel
/// anywhere.
/// </summary>
public sealed class PixelConverterTests
{
    private static (byte[] Bgra, int Stride) Frame(Random random, int width, int height, Func<int, int, byte> alpha)
    {
        var stride = (width * 4) + (random.Next(3) * 4);
        var bgra = new byte[stride * height];
        random.NextBytes(bgra);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * stride) + (x * 4);
                var a = alpha(x, y);
                // Premultiplied: no channel above its alpha.
                bgra[i] = (byte)(bgra[i] * a / 255);
                bgra[i + 1] = (byte)(bgra[i + 1] * a / 255);
                bgra[i + 2] = (byte)(bgra[i + 2] * a / 255);
                bgra[i + 3] = a;
            }
        }
        return (bgra, stride);
    }

    private static byte[] Reference(byte[] bgra, int width, int height, int stride, int bands)
    {
        var dst = new byte[width * height * bands];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * stride) + (x * 4);
                var o = ((y * width) + x) * bands;
                var a = bgra[i + 3];
                byte Straight(byte c) => bands == 3 || a == 255 ? c : a == 0 ? (byte)0 : (byte)Math.Min(255, ((c * 255) + (a / 2)) / a);
                dst[o] = Straight(bgra[i + 2]);
                dst[o + 1] = Straight(bgra[i + 1]);
                dst[o + 2] = Straight(bgra[i]);
                if (bands == 4)
                {
                    dst[o + 3] = a;
                }
            }
        }
        return dst;
    }

    [Fact]
    public void VectorPathsGiveWhatEachPixelsDefinitionGives()
    {
        var random = new Random(25);
        for (var width = 1; width <= 37; width++)
        {
            var height = 1 + random.Next(4);
            var holeX = random.Next(width);
            var holeY = random.Next(height);
            foreach (var (name, alpha) in new (string, Func<int, int, byte>)[]
            {
                ("opaque", (_, _) => 255),
                ("one hole", (x, y) => x == holeX && y == holeY ? (byte)0 : (byte)255),
                ("one half", (x, y) => x == holeX && y == holeY ? (byte)128 : (byte)255),
                ("mixed", (_, _) => (byte)random.Next(256)),
            })
            {
                var (bgra, stride) = Frame(random, width, height, alpha);
                var opaque = name == "opaque";
                Assert.True(opaque == PixelConverter.IsOpaque(bgra, width, height, stride), $"{name} {width}x{height}: IsOpaque");
                foreach (var bands in new[] { 3, 4 })
                {
                    if (bands == 3 && !opaque)
                    {
                        continue; // three bands are for opaque frames only
                    }
                    Assert.True(Reference(bgra, width, height, stride, bands).SequenceEqual(PixelConverter.FromPremultipliedBgra(bgra, width, height, stride, bands)),
                        $"{name} {width}x{height} stride {stride}, {bands} bands");
                }
            }
        }
    }
}
