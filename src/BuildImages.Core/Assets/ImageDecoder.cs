using System.Runtime.InteropServices;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Drawing;
using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>
/// Decodes PNG, JPEG, WebP, GIF, TIFF, AVIF/HEIF (where libvips has them) and SVG. Rasters go through
/// libvips: EXIF orientation applied, ICC profiles converted to sRGB, 16-bit and grey made 8-bit sRGB.
/// </summary>
internal static class ImageDecoder
{
    private const long MaxPixels = 100_000_000;

    internal static LoadedImage Decode(AssetSource source, DecodedImageCache cache)
    {
        if (source.IsSvg)
        {
            return SvgImage.Load(source);
        }
        try
        {
            // The loader and the header are looked at once per content: later cards only hash the bytes.
            return new RasterImage(cache, cache.Header(source.Bytes, bytes => Probe(source, bytes)), source);
        }
        catch (VipsException ex)
        {
            throw Corrupt(source, ex.Message.Split('\n')[0]);
        }
    }

    /// <summary>The upright size (EXIF orientation applied) from the header alone: libvips builds the pipeline without decoding pixels.</summary>
    private static (int Width, int Height) Probe(AssetSource source, byte[] bytes)
    {
        var loader = FindLoader(bytes);
        if (loader is null || loader.StartsWith("svgload", StringComparison.Ordinal))
        {
            throw Corrupt(source, "it is not an image format BuildImages reads (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)");
        }
        using (var header = VipsOperation.Create(loader).Set("buffer", bytes).Build())
        using (var probe = header.GetImage("out"))
        {
            if ((long)probe.Width * probe.Height > MaxPixels)
            {
                throw Corrupt(source, $"it is {probe.Width}×{probe.Height} pixels, over the {MaxPixels:N0}-pixel limit");
            }
        }
        using var thumb = Thumbnail(bytes, 100_000, 100_000, "down");
        using var upright = thumb.GetImage("out");
        return (upright.Width, upright.Height);
    }

    /// <summary>Decodes at exactly width×height (shrink-on-load where the format has it, then lanczos) to cairo's premultiplied BGRA.</summary>
    internal static DecodedPixels DecodeForCairo(byte[] bytes, int width, int height)
    {
        using var thumb = Thumbnail(bytes, width, height, "force");
        var (pixels, w, h, bands) = ToSrgb8(thumb);
        var stride = w * 4;
        var bgra = GC.AllocateUninitializedArray<byte>(stride * h);
        PixelConverter.ToCairo(pixels, Math.Min(bands, 4), w, h, bgra, stride);
        return new DecodedPixels(bgra, w, h, stride);
    }

    private static VipsOperation Thumbnail(byte[] bytes, int width, int height, string size) =>
        VipsOperation.Create("thumbnail_buffer")
            .Set("buffer", bytes)
            .Set("width", width)
            .Set("height", height)
            .Set("size", size)
            .Set("option_string", "fail_on=error")
            .Build();

    /// <summary>
    /// Full-size decode to 8-bit sRGB (1–4 interleaved bands): EXIF orientation applied, ICC and 16-bit
    /// converted. Throws <see cref="VipsException"/> on bad data.
    /// </summary>
    internal static (byte[] Pixels, int Width, int Height, int Bands) DecodeSrgb8(byte[] bytes)
    {
        using var thumb = Thumbnail(bytes, 100_000, 100_000, "down");
        return ToSrgb8(thumb);
    }

    private static (byte[] Pixels, int Width, int Height, int Bands) ToSrgb8(VipsOperation thumb)
    {
        using var decoded = thumb.GetImage("out");
        using var srgb = VipsOperation.Create("colourspace").Set("in", decoded).Set("space", "srgb").Build();
        using var image = srgb.GetImage("out");
        using var cast = VipsOperation.Create("cast").Set("in", image).Set("format", "uchar").Build();
        using var final = cast.GetImage("out");
        return (final.ToPixels(), final.Width, final.Height, final.Bands);
    }

    private static unsafe string? FindLoader(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }
        fixed (byte* p = bytes)
        {
            var name = VipsApi.vips_foreign_find_load_buffer((IntPtr)p, (nuint)bytes.Length);
            if (name == IntPtr.Zero)
            {
                VipsApi.vips_error_clear();
                return null;
            }
            return Marshal.PtrToStringUTF8(name);
        }
    }

    private static CardException Corrupt(AssetSource source, string why) =>
        CardException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' could not be decoded: {why}", source.FilePath);
}
