using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Assets;

/// <summary>
/// A raster image, decoded only when painted and then at the device size it is painted at (never larger than the
/// file), through the engine's shared <see cref="DecodedImageCache"/>: layout needs only its size.
/// </summary>
internal sealed class RasterImage(DecodedImageCache cache, RasterHeader header, AssetSource source) : LoadedImage
{
    internal override double Width => header.Width;
    internal override double Height => header.Height;

    internal override void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h)
    {
        var m = canvas.TotalMatrix;
        var pixels = Decode(w * Math.Sqrt((m.ScaleX * m.ScaleX) + (m.SkewY * m.SkewY)), h * Math.Sqrt((m.SkewX * m.SkewX) + (m.ScaleY * m.ScaleY)));
        DrawPixels(canvas, pixels, x, y, w, h);
    }

    /// <summary>The pixels at the device size the image is drawn at (never larger than the file: libvips shrinks on load).</summary>
    private DecodedPixels Decode(double deviceWidth, double deviceHeight)
    {
        var width = Math.Clamp((int)Math.Round(Math.Abs(deviceWidth)), 1, header.Width);
        var height = Math.Clamp((int)Math.Round(Math.Abs(deviceHeight)), 1, header.Height);
        try
        {
            return cache.Get(header, source.Bytes, width, height, ImageDecoder.DecodeForCanvas);
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
