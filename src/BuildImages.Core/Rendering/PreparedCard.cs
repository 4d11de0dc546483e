using BuildImages.Core.Diagnostics;
using BuildImages.Core.Drawing;
using BuildImages.Core.Layout;
using BuildImages.Core.Native;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Rendering;

/// <summary>
/// A card evaluated and laid out once, drawable at any width (vector: sharper than downscaling).
/// Holds pango layouts of the renderer's thread: draw it on that thread.
/// </summary>
public sealed class PreparedCard : IDisposable
{
    private readonly LayoutBox _root;
    private readonly IDisposable[] _owned;
    private readonly Func<SkiaText>? _portableText;

    internal PreparedCard(LayoutBox root, int width, int height, string markup, IReadOnlyList<Diagnostic> warnings, CardInputs inputs, IDisposable[] owned, Func<SkiaText>? portableText = null)
    {
        _root = root;
        _portableText = portableText;
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
    public RenderedCard Draw(double scale) => DrawWithSkia(scale);

    internal RenderedCard DrawWithCairo(double scale)
    {
        if (scale <= 0 || double.IsNaN(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "scale must be positive");
        }
        var w = Math.Max(1, (int)Math.Round(Width * scale));
        var h = Math.Max(1, (int)Math.Round(Height * scale));
        using var surface = CairoApi.cairo_image_surface_create(CairoApi.FORMAT_ARGB32, w, h);
        if (CairoApi.cairo_surface_status(surface) != 0)
        {
            throw new InvalidOperationException($"cairo could not create a {w}x{h} surface");
        }
        using (var cr = CairoApi.cairo_create(surface))
        {
            // Scale exactly to the rounded pixel size so the card fills the surface edge to edge.
            CairoApi.cairo_scale(cr, (double)w / Width / scale, (double)h / Height / scale);
            CardPainter.Paint(cr, _root, scale);
            var status = CairoApi.cairo_status(cr);
            if (status != 0)
            {
                throw new InvalidOperationException($"cairo failed while drawing (status {status})");
            }
        }
        CairoApi.cairo_surface_flush(surface);
        var stride = CairoApi.cairo_image_surface_get_stride(surface);
        var bytes = new byte[stride * h];
        System.Runtime.InteropServices.Marshal.Copy(CairoApi.cairo_image_surface_get_data(surface), bytes, 0, bytes.Length);
        return new RenderedCard(bytes, w, h, stride);
    }

    /// <summary>
    /// Draws with the Skia painter of the portable stack (issue 25) instead of cairo: the same premultiplied BGRA.
    /// Only for the tests that hold it to the cairo painter until the cut-over replaces <see cref="Draw"/> with it.
    /// </summary>
    internal RenderedCard DrawWithSkia(double scale)
    {
        if (scale <= 0 || double.IsNaN(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "scale must be positive");
        }
        var w = Math.Max(1, (int)Math.Round(Width * scale));
        var h = Math.Max(1, (int)Math.Round(Height * scale));
        var info = new SkiaSharp.SKImageInfo(w, h, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Premul);
        var bytes = new byte[info.RowBytes * h];
        unsafe
        {
            fixed (byte* data = bytes)
            {
                using var surface = SkiaSharp.SKSurface.Create(info, (IntPtr)data, info.RowBytes) ?? throw new InvalidOperationException($"Skia could not create a {w}x{h} surface");
                // Scale exactly to the rounded pixel size so the card fills the surface edge to edge.
                surface.Canvas.Scale((float)((double)w / Width / scale), (float)((double)h / Height / scale));
                SkiaCardPainter.Paint(surface.Canvas, _root, scale, _portableText?.Invoke() ?? throw new InvalidOperationException("this card was prepared without the portable text stack"));
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
