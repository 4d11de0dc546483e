using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>An SVG kept as vectors and drawn by librsvg at the render's scale.</summary>
internal sealed class SvgImage : LoadedImage
{
    private readonly GObjectHandle _handle;
    private readonly string _reference;

    private readonly SvgFilterWork? _filters;

    private SvgImage(GObjectHandle handle, double width, double height, string reference, SvgFilterWork? filters)
    {
        _handle = handle;
        Width = width;
        Height = height;
        _reference = reference;
        _filters = filters;
    }

    internal override double Width { get; }
    internal override double Height { get; }

    /// <summary>Parses the SVG; without a base file librsvg refuses external references, so nothing else is read.</summary>
    internal static SvgImage Load(AssetSource source)
    {
        var ptr = RsvgApi.rsvg_handle_new_from_data(source.Bytes, (nuint)source.Bytes.Length, out var error);
        if (ptr == IntPtr.Zero)
        {
            throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' is not a valid SVG: {GObjectApi.TakeError(error)}", source.FilePath);
        }
        var handle = new GObjectHandle(ptr);
        if (RsvgApi.rsvg_handle_get_intrinsic_size_in_pixels(handle, out var w, out var h) == 0 || w <= 0 || h <= 0)
        {
            // No width/height (only a viewBox): treat it as a square icon the box will scale.
            (w, h) = (512, 512);
        }
        return new SvgImage(handle, w, h, source.Reference, SvgFilterWork.Read(source.Bytes, w));
    }

    internal override void Paint(CairoContextHandle cr, double x, double y, double w, double h)
    {
        if (_filters is { HasFilters: true })
        {
            CairoApi.cairo_get_matrix(cr, out var m);
            var deviceWidth = w * Math.Sqrt((m.Xx * m.Xx) + (m.Yx * m.Yx));
            var deviceHeight = h * Math.Sqrt((m.Xy * m.Xy) + (m.Yy * m.Yy));
            var cost = _filters.Cost(deviceWidth, deviceHeight);
            if (!(cost <= SvgFilterWork.Budget))
            {
                throw BuildInputException.Error(DiagnosticCodes.DrawingBudget, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"image '{_reference}' has SVG filters estimated at {cost:0.#e0} pixel operations at {deviceWidth:0}×{deviceHeight:0} px, over the budget of {SvgFilterWork.Budget:0.#e0} (large feMorphology radii, many feTurbulence octaves or filters repeated by <use>); simplify the filters or use a raster image"));
            }
        }
        var viewport = new RsvgRectangle { X = x, Y = y, Width = w, Height = h };
        if (RsvgApi.rsvg_handle_render_document(_handle, cr, ref viewport, out var error) == 0)
        {
            throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{_reference}' could not be drawn: {GObjectApi.TakeError(error)}");
        }
    }

    /// <summary>
    /// Drawn by librsvg at the device size into a surface of its own, then placed on the Skia canvas; until the bundled
    /// libvips' svgload replaces librsvg at the cut-over (issue 25), vectors still meet the canvas at its resolution.
    /// </summary>
    internal override void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h)
    {
        var m = canvas.TotalMatrix;
        var deviceWidth = Math.Max(1, (int)Math.Ceiling(Math.Abs(w) * Math.Sqrt((m.ScaleX * m.ScaleX) + (m.SkewY * m.SkewY))));
        var deviceHeight = Math.Max(1, (int)Math.Ceiling(Math.Abs(h) * Math.Sqrt((m.SkewX * m.SkewX) + (m.ScaleY * m.ScaleY))));
        if ((long)deviceWidth * deviceHeight > 64_000_000)
        {
            return;
        }
        using var surface = CairoApi.cairo_image_surface_create(CairoApi.FORMAT_ARGB32, deviceWidth, deviceHeight);
        using (var cr = CairoApi.cairo_create(surface))
        {
            Paint(cr, 0, 0, deviceWidth, deviceHeight);
        }
        CairoApi.cairo_surface_flush(surface);
        var info = new SkiaSharp.SKImageInfo(deviceWidth, deviceHeight, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Premul);
        using var pixmap = new SkiaSharp.SKPixmap(info, CairoApi.cairo_image_surface_get_data(surface), CairoApi.cairo_image_surface_get_stride(surface));
        using var image = SkiaSharp.SKImage.FromPixels(pixmap);
        canvas.DrawImage(image, new SkiaSharp.SKRect((float)x, (float)y, (float)(x + w), (float)(y + h)), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKFilterMode.Linear, SkiaSharp.SKMipmapMode.None));
    }

    public override void Dispose() => _handle.Dispose();
}
