using System.Buffers;
using BuildImages.Core.Drawing;
using BuildImages.Core.Native;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Encoding;

/// <summary>Encodes drawn cards with libvips: sRGB, no metadata, alpha kept only where the format and the pixels need it.</summary>
public static class VariantEncoder
{
    public static byte[] Encode(RenderedCard card, EncodeOptions options)
    {
        NativeStack.EnsureLoaded();
        if (options.Quality is < 1 or > 100)
        {
            // libvips only warns and ignores out-of-range values; refuse them here instead.
            throw new ArgumentOutOfRangeException(nameof(options), $"quality must be 1–100, not {options.Quality}");
        }
        var keepAlpha = options.Format != ImageFormat.Jpeg && !card.IsOpaque;
        var bands = keepAlpha ? 4 : 3;
        var length = card.Width * card.Height * bands;
        // A batch converts several multi-megabyte frames per card: a pooled buffer keeps them off the large object
        // heap. libvips takes its own copy, so nothing native ever points into managed memory.
        var pixels = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            PixelConverter.FromCairo(card.Bgra, card.Width, card.Height, card.Stride, bands, pixels);
            using var image = VipsImage.FromPixels(pixels.AsSpan(0, length), card.Width, card.Height, bands);
            using var op = options.Format switch
            {
                ImageFormat.WebP => VipsOperation.Create("webpsave_buffer").Set("in", image).Set("Q", options.Quality).Set("effort", options.Effort).Set("strip", true),
                ImageFormat.Jpeg => VipsOperation.Create("jpegsave_buffer").Set("in", image).Set("Q", options.Quality).Set("optimize_coding", true).Set("strip", true),
                ImageFormat.Png => VipsOperation.Create("pngsave_buffer").Set("in", image).Set("compression", 6).Set("strip", true),
                _ => VipsOperation.Create("heifsave_buffer").Set("in", image).Set("Q", options.Quality).Set("compression", "av1").Set("strip", true),
            };
            op.Build();
            var bytes = op.GetBlob("buffer");
            return options.Format == ImageFormat.WebP ? WebPMetadata.Strip(bytes) : bytes;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>Decodes encoded bytes to straight RGBA (for tests and verification).</summary>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded)
    {
        NativeStack.EnsureLoaded();
        var (pixels, width, height, bands) = Assets.ImageDecoder.DecodeSrgb8(encoded);
        return (Drawing.PixelConverter.ToRgba(pixels, bands, width, height), width, height);
    }
}
