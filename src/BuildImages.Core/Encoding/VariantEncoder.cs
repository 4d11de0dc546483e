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
        var pixels = keepAlpha ? card.ToRgba() : card.ToRgb();
        using var image = VipsImage.FromPixels(pixels, card.Width, card.Height, keepAlpha ? 4 : 3);
        using var op = options.Format switch
        {
            ImageFormat.WebP => VipsOperation.Create("webpsave_buffer").Set("in", image).Set("Q", options.Quality).Set("effort", options.Effort).Set("strip", true),
            ImageFormat.Jpeg => VipsOperation.Create("jpegsave_buffer").Set("in", image).Set("Q", options.Quality).Set("optimize_coding", true).Set("strip", true),
            ImageFormat.Png => VipsOperation.Create("pngsave_buffer").Set("in", image).Set("compression", 6).Set("strip", true),
            _ => VipsOperation.Create("heifsave_buffer").Set("in", image).Set("Q", options.Quality).Set("compression", "av1").Set("strip", true),
        };
        op.Build();
        return op.GetBlob("buffer");
    }

    /// <summary>Decodes encoded bytes to straight RGBA (for tests and verification).</summary>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded)
    {
        NativeStack.EnsureLoaded();
        var (pixels, width, height, bands) = Assets.ImageDecoder.DecodeSrgb8(encoded);
        return (Drawing.PixelConverter.ToRgba(pixels, bands, width, height), width, height);
    }
}
