using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>A decoded image ready to draw: its intrinsic size and a way to paint it into a rectangle.</summary>
internal abstract class LoadedImage : IDisposable
{
    internal abstract double Width { get; }
    internal abstract double Height { get; }

    /// <summary>Paints the whole image scaled into (x, y, w, h) in user space; the caller clips.</summary>
    internal abstract void Paint(CairoContextHandle cr, double x, double y, double w, double h);

    /// <summary>The same on a Skia canvas (the portable painter, issue 25).</summary>
    internal abstract void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h);

    public abstract void Dispose();
}
