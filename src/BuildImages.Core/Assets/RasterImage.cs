using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>
/// A raster image, decoded only when painted and then at the device size it is painted at (never larger than the
/// file), through the engine's shared <see cref="DecodedImageCache"/>: layout needs only its size.
/// </summary>
internal sealed class RasterImage(DecodedImageCache cache, RasterHeader header, AssetSource source) : LoadedImage
{
    internal override double Width => header.Width;
    internal override double Height => header.Height;

    internal override void Paint(CairoContextHandle cr, double x, double y, double w, double h)
    {
        CairoApi.cairo_get_matrix(cr, out var m);
        var pixels = Decode(w * Math.Sqrt((m.Xx * m.Xx) + (m.Yx * m.Yx)), h * Math.Sqrt((m.Xy * m.Xy) + (m.Yy * m.Yy)));
        unsafe
        {
            fixed (byte* data = pixels.Bytes)
            {
                using var surface = CairoApi.cairo_image_surface_create_for_data((IntPtr)data, CairoApi.FORMAT_ARGB32, pixels.Width, pixels.Height, pixels.Stride);
                CairoApi.cairo_save(cr);
                CairoApi.cairo_translate(cr, x, y);
                CairoApi.cairo_scale(cr, w / pixels.Width, h / pixels.Height);
                CairoApi.cairo_set_source_surface(cr, surface, 0, 0);
                var pattern = CairoApi.cairo_get_source(cr);
                // GOOD filters what is left to scale (cairo >= 1.14); PAD keeps edges from fading to transparent.
                CairoApi.cairo_pattern_set_filter(pattern, CairoApi.FILTER_GOOD);
                CairoApi.cairo_pattern_set_extend(pattern, CairoApi.EXTEND_PAD);
                CairoApi.cairo_rectangle(cr, 0, 0, pixels.Width, pixels.Height);
                CairoApi.cairo_fill(cr);
                CairoApi.cairo_restore(cr);
                // The pixels are shared and only pinned here: finishing the surface guarantees cairo keeps no pointer into them.
                CairoApi.cairo_surface_finish(surface);
            }
        }
    }

    internal override void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h)
    {
        var m = canvas.TotalMatrix;
        var pixels = Decode(w * Math.Sqrt((m.ScaleX * m.ScaleX) + (m.SkewY * m.SkewY)), h * Math.Sqrt((m.SkewX * m.SkewX) + (m.ScaleY * m.ScaleY)));
        unsafe
        {
            fixed (byte* data = pixels.Bytes)
            {
                // Premultiplied BGRA, as the cache keeps it for cairo, is Skia's N32 on little-endian machines: no copy.
                var info = new SkiaSharp.SKImageInfo(pixels.Width, pixels.Height, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Premul);
                using var pixmap = new SkiaSharp.SKPixmap(info, (IntPtr)data, pixels.Stride);
                using var image = SkiaSharp.SKImage.FromPixels(pixmap);
                canvas.DrawImage(image, new SkiaSharp.SKRect((float)x, (float)y, (float)(x + w), (float)(y + h)), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKFilterMode.Linear, SkiaSharp.SKMipmapMode.None));
            }
        }
    }

    /// <summary>The pixels at the device size the image is drawn at (never larger than the file: libvips shrinks on load).</summary>
    private DecodedPixels Decode(double deviceWidth, double deviceHeight)
    {
        var width = Math.Clamp((int)Math.Round(Math.Abs(deviceWidth)), 1, header.Width);
        var height = Math.Clamp((int)Math.Round(Math.Abs(deviceHeight)), 1, header.Height);
        try
        {
            return cache.Get(header, source.Bytes, width, height, ImageDecoder.DecodeForCairo);
        }
        catch (ImageRejectedException ex)
        {
            throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' could not be decoded: {ex.Message}", source.FilePath);
        }
    }

    public override void Dispose()
    {
        // Nothing of its own: the pixels belong to the cache.
    }
}
