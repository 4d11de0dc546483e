namespace BuildImages.Core.Assets;

/// <summary>A decoded image ready to draw: its intrinsic size and a way to paint it into a rectangle.</summary>
internal abstract class LoadedImage : IDisposable
{
    internal abstract double Width { get; }
    internal abstract double Height { get; }

    /// <summary>Draws the whole image scaled into (x, y, w, h) in user space; the caller clips.</summary>
    internal abstract void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h);

    public abstract void Dispose();

    /// <summary>Draws premultiplied BGRA pixels (Skia's N32 on little-endian machines: wrapped, not copied) into (x, y, w, h), filtered linearly.</summary>
    private protected static void DrawPixels(SkiaSharp.SKCanvas canvas, DecodedPixels pixels, double x, double y, double w, double h)
    {
        unsafe
        {
            fixed (byte* data = pixels.Bytes)
            {
                var info = new SkiaSharp.SKImageInfo(pixels.Width, pixels.Height, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Premul);
                using var pixmap = new SkiaSharp.SKPixmap(info, (IntPtr)data, pixels.Stride);
                using var image = SkiaSharp.SKImage.FromPixels(pixmap);
                canvas.DrawImage(image, new SkiaSharp.SKRect((float)x, (float)y, (float)(x + w), (float)(y + h)), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKFilterMode.Linear, SkiaSharp.SKMipmapMode.None));
            }
        }
    }
}
