using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>A decoded raster as a cairo surface (premultiplied BGRA).</summary>
internal sealed class RasterImage(CairoSurfaceHandle surface, int width, int height) : LoadedImage
{
    internal override double Width => width;
    internal override double Height => height;

    internal override void Paint(CairoContextHandle cr, double x, double y, double w, double h)
    {
        CairoApi.cairo_save(cr);
        CairoApi.cairo_translate(cr, x, y);
        CairoApi.cairo_scale(cr, w / width, h / height);
        CairoApi.cairo_set_source_surface(cr, surface, 0, 0);
        var pattern = CairoApi.cairo_get_source(cr);
        // GOOD downsamples with a box filter (cairo >= 1.14); PAD keeps edges from fading to transparent.
        CairoApi.cairo_pattern_set_filter(pattern, CairoApi.FILTER_GOOD);
        CairoApi.cairo_pattern_set_extend(pattern, CairoApi.EXTEND_PAD);
        CairoApi.cairo_rectangle(cr, 0, 0, width, height);
        CairoApi.cairo_fill(cr);
        CairoApi.cairo_restore(cr);
    }

    public override void Dispose() => surface.Dispose();
}
