using BuildImages.Core.Diagnostics;
using BuildImages.Core.Drawing;
using BuildImages.Core.Layout;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Rendering;

/// <summary>
/// A card evaluated and laid out once, drawable at any width (vector: sharper than downscaling).
/// Draw it on the renderer's thread (images it decodes use that thread's libvips buffers).
/// </summary>
public sealed class PreparedCard : IDisposable
{
    private readonly LayoutBox _root;
    private readonly IDisposable[] _owned;
    private readonly SkiaText _text;

    internal PreparedCard(LayoutBox root, int width, int height, string markup, IReadOnlyList<Diagnostic> warnings, CardInputs inputs, IDisposable[] owned, SkiaText text)
    {
        _root = root;
        _text = text;
        Width = width;
        Height = height;
        Markup = markup;
        Warnings = warnings;
        Inputs = inputs;
        _owned = owned;
    }

    /// <summary>The laid-out card (the painters' input).</summary>
    internal LayoutBox Root => _root;

    /// <summary>Card size in card pixels.</summary>
    public int Width { get; }
    public int Height { get; }

    /// <summary>The markup the template produced.</summary>
    public string Markup { get; }

    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <summary>The files whose bytes decided this card (template and partials, fonts, images).</summary>
    public CardInputs Inputs { get; }

    /// <summary>Draws at <paramref name="pixelWidth"/> pixels wide, keeping the aspect ratio.</summary>
    public RenderedCard DrawAtWidth(int pixelWidth) => Draw((double)pixelWidth / Width);

    /// <summary>Draws at a scale (device pixels per card pixel).</summary>
    public RenderedCard Draw(double scale) => Draw(scale, null);

    /// <summary>
    /// As <see cref="DrawAtWidth(int)"/>, into a buffer from <paramref name="rent"/> (at least the frame's bytes; its
    /// old content is cleared). A batch rents from a pool: a fresh 3 MB array per 1200-px frame comes from pages the
    /// GC gave back to the OS, and faulting them in cost 5 of the 6.8 ms an empty card took to draw.
    /// </summary>
    internal RenderedCard DrawAtWidth(int pixelWidth, Func<int, byte[]> rent) => Draw((double)pixelWidth / Width, rent);

    private RenderedCard Draw(double scale, Func<int, byte[]>? rent)
    {
        if (scale <= 0 || double.IsNaN(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "scale must be positive");
        }
        var w = Math.Max(1, (int)Math.Round(Width * scale));
        var h = Math.Max(1, (int)Math.Round(Height * scale));
        var info = new SkiaSharp.SKImageInfo(w, h, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Premul);
        var bytes = rent is null ? new byte[info.RowBytes * h] : rent(info.RowBytes * h);
        unsafe
        {
            fixed (byte* data = bytes)
            {
                using var surface = SkiaSharp.SKSurface.Create(info, (IntPtr)data, info.RowBytes) ?? throw new InvalidOperationException($"Skia could not create a {w}x{h} surface");
                if (rent is not null)
                {
                    surface.Canvas.Clear(SkiaSharp.SKColors.Transparent);
                }
                // Scale exactly to the rounded pixel size so the card fills the surface edge to edge.
                surface.Canvas.Scale((float)((double)w / Width / scale), (float)((double)h / Height / scale));
                CardPainter.Paint(surface.Canvas, _root, scale, _text);
                surface.Flush();
            }
        }
        return new RenderedCard(bytes, w, h, info.RowBytes);
    }

    public void Dispose()
    {
        foreach (var o in _owned)
        {
            o.Dispose();
        }
    }
}
