using BuildImages.Core.Diagnostics;
using BuildImages.Core.Drawing;
using BuildImages.Core.Imaging;
using BuildImages.Core.Native;
using NetVips;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Assets;

/// <summary>
/// Decodes the images cards draw: PNG, JPEG, WebP, GIF, TIFF, AVIF/HEIF through libvips (only those loaders, under
/// the pixel limit; EXIF orientation applied, ICC profiles converted to sRGB, 16-bit and grey made 8-bit sRGB), SVG
/// through libvips' svgload (<see cref="SvgImage"/>).
/// </summary>
internal static class ImageDecoder
{
    internal static LoadedImage Decode(AssetSource source, DecodedImageCache cache)
    {
        if (source.IsSvg)
        {
            return SvgImage.Load(source, cache);
        }
        try
        {
            // The loader and the header are looked at once per content: later cards only hash the bytes.
            return new RasterImage(cache, cache.Header(source.Bytes, bytes => Probe(bytes)), source);
        }
        catch (ImageRejectedException ex)
        {
            throw Corrupt(source, ex.Message);
        }
    }

    /// <summary>The upright size (EXIF orientation applied) from the header alone.</summary>
    private static (int Width, int Height) Probe(byte[] bytes)
    {
        var probe = ImageProbe.Read(bytes);
        return (probe.UprightWidth, probe.UprightHeight);
    }

    /// <summary>Decodes at exactly width×height (shrink-on-load where the format has it, then lanczos) to premultiplied BGRA, the canvas's pixels.</summary>
    internal static DecodedPixels DecodeForCanvas(byte[] bytes, int width, int height)
    {
        try
        {
            using var thumb = Thumbnail(bytes, width, height, Enums.Size.Force);
            return ToCanvasPixels(thumb);
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException(ImageProbe.FirstLine(ex.Message));
        }
    }

    /// <summary>A decoded libvips image as the canvas draws it: 8-bit sRGB, premultiplied BGRA.</summary>
    internal static DecodedPixels ToCanvasPixels(Image decoded)
    {
        var (pixels, w, h, bands) = ToSrgb8(decoded);
        var stride = w * 4;
        var bgra = GC.AllocateUninitializedArray<byte>(stride * h);
        PixelConverter.ToPremultipliedBgra(pixels, Math.Min(bands, 4), w, h, bgra, stride);
        return new DecodedPixels(bgra, w, h, stride);
    }

    private static Image Thumbnail(byte[] bytes, int width, int height, Enums.Size size) =>
        // fail_on through the loader's option string: libvips 8.14's thumbnail ignores its own.
        Image.ThumbnailBuffer(bytes, width, "fail_on=error", height: height, size: size);

    /// <summary>
    /// Full-size decode to 8-bit sRGB (1–4 interleaved bands): EXIF orientation applied, ICC and 16-bit
    /// converted. Throws <see cref="ImageRejectedException"/> on a file we do not read or bad data.
    /// </summary>
    internal static (byte[] Pixels, int Width, int Height, int Bands) DecodeSrgb8(byte[] bytes)
    {
        var probe = ImageProbe.Read(bytes);
        try
        {
            using var thumb = Thumbnail(bytes, probe.UprightWidth, probe.UprightHeight, Enums.Size.Down);
            return ToSrgb8(thumb);
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException(ImageProbe.FirstLine(ex.Message));
        }
    }

    private static (byte[] Pixels, int Width, int Height, int Bands) ToSrgb8(Image decoded)
    {
        using var srgb = decoded.Colourspace(Enums.Interpretation.Srgb);
        using var final = srgb.Cast(Enums.BandFormat.Uchar);
        return (final.WriteToMemory<byte>(), final.Width, final.Height, final.Bands);
    }

    private static BuildInputException Corrupt(AssetSource source, string why) =>
        BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' could not be decoded: {why}", source.FilePath);
}
