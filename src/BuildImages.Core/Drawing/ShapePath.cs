using BuildImages.Core.Markup;
using BuildImages.Core.Native;

namespace BuildImages.Core.Drawing;

/// <summary>Adds shape outlines to cairo's current path.</summary>
internal static class ShapePath
{
    internal static void RoundedRect(CairoContextHandle cr, double x, double y, double w, double h, Corners r)
    {
        if (r.IsZero)
        {
            CairoApi.cairo_rectangle(cr, x, y, w, h);
            return;
        }
        var (tl, tr, br, bl) = r.FittedTo(w, h);
        CairoApi.cairo_new_sub_path(cr);
        CairoApi.cairo_arc(cr, x + w - tr, y + tr, tr, -Math.PI / 2, 0);
        CairoApi.cairo_arc(cr, x + w - br, y + h - br, br, 0, Math.PI / 2);
        CairoApi.cairo_arc(cr, x + bl, y + h - bl, bl, Math.PI / 2, Math.PI);
        CairoApi.cairo_arc(cr, x + tl, y + tl, tl, Math.PI, 3 * Math.PI / 2);
        CairoApi.cairo_close_path(cr);
    }

    internal static void Ellipse(CairoContextHandle cr, double x, double y, double w, double h)
    {
        if (w <= 0 || h <= 0)
        {
            return;
        }
        CairoApi.cairo_save(cr);
        CairoApi.cairo_translate(cr, x + (w / 2), y + (h / 2));
        CairoApi.cairo_scale(cr, w / 2, h / 2);
        CairoApi.cairo_new_sub_path(cr);
        CairoApi.cairo_arc(cr, 0, 0, 1, 0, 2 * Math.PI);
        CairoApi.cairo_close_path(cr);
        CairoApi.cairo_restore(cr);
    }
}
