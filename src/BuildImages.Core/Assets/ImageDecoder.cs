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

    internal static LoadedImage Decode(AssetSource source)
    {
        if (source.IsSvg)
        {
            return SvgImage.Load(source);
        }
        var loader = FindLoader(source.Bytes);
        if (loader is null || loader.StartsWith("svgload", StringComparison.Ordinal))
        {
            throw Corrupt(source, "it is not an image format BuildImages reads (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)");
        }
        try
        {
            using (var header = VipsOperation.Create(loader).Set("buffer", source.Bytes).Build())
            using (var probe = header.GetImage("out"))
            {
                if ((long)probe.Width * probe.Height > MaxPixels)
                {
                    throw Corrupt(source, $"it is {probe.Width}×{probe.Height} pixels, over the {MaxPixels:N0}-pixel limit");
                }
            }
            var (pixels, w, h, bands) = DecodeSrgb8(source.Bytes);
            return ToSurface(pixels, w, h, bands);
        }
        catch (VipsException ex)
        {
            throw Corrupt(source, ex.Message.Split('\n')[0]);
        }
    }

    /// <summary>
    /// Full-size decode to 8-bit sRGB (1–4 interleaved bands): EXIF orientation applied, ICC and 16-bit
    /// converted. Throws <see cref="VipsException"/> on bad data.
    /// </summary>
    internal static (byte[] Pixels, int Width, int Height, int Bands) DecodeSrgb8(byte[] bytes)
    {
        using var thumb = VipsOperation.Create("thumbnail_buffer")
            .Set("buffer", bytes)
            .Set("width", 100_000)
            .Set("height", 100_000)
            .Set("size", "down")
            .Set("option_string", "fail_on=error")
            .Build();
        using var decoded = thumb.GetImage("out");
        using var srgb = VipsOperation.Create("colourspace").Set("in", decoded).Set("space", "srgb").Build();
        using var image = srgb.GetImage("out");
        using var cast = VipsOperation.Create("cast").Set("in", image).Set("format", "uchar").Build();
        using var final = cast.GetImage("out");
        return (final.ToPixels(), final.Width, final.Height, final.Bands);
    }

    private static RasterImage ToSurface(byte[] pixels, int width, int height, int bands)
    {
        var surface = CairoApi.cairo_image_surface_create(CairoApi.FORMAT_ARGB32, width, height);
        var stride = CairoApi.cairo_image_surface_get_stride(surface);
        CairoApi.cairo_surface_flush(surface);
        unsafe
        {
            var data = new Span<byte>((void*)CairoApi.cairo_image_surface_get_data(surface), stride * height);
            PixelConverter.ToCairo(pixels, Math.Min(bands, 4), width, height, data, stride);
        }
        CairoApi.cairo_surface_mark_dirty(surface);
        return new RasterImage(surface, width, height);
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
