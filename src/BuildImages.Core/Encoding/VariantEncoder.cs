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
        using var thumb = VipsOperation.Create("thumbnail_buffer").Set("buffer", encoded).Set("width", 100_000).Set("height", 100_000).Set("size", "down").Build();
        using var decoded = thumb.GetImage("out");
        using var srgb = VipsOperation.Create("colourspace").Set("in", decoded).Set("space", "srgb").Build();
        using var rgb = srgb.GetImage("out");
        using var alpha = rgb.Bands == 4 ? null : VipsOperation.Create("bandjoin_const").Set("in", rgb).Set("c", new[] { 255.0 }).Build();
        using var full = alpha?.GetImage("out");
        var final = full ?? rgb;
        return (final.ToPixels(), final.Width, final.Height);
    }
}
