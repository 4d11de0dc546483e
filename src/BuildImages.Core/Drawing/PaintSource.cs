using BuildImages.Core.Markup;
using BuildImages.Core.Native;

namespace BuildImages.Core.Drawing;

/// <summary>Sets a <see cref="Paint"/> as cairo's source for a box at (x, y, w, h).</summary>
internal static class PaintSource
{
    internal static void Set(CairoContextHandle cr, Paint paint, double x, double y, double w, double h, double alpha = 1)
    {
        switch (paint)
        {
            case SolidPaint s:
                CairoApi.cairo_set_source_rgba(cr, s.Color.R, s.Color.G, s.Color.B, s.Color.A * alpha);
                break;
            case LinearGradientPaint l:
            {
                // CSS: 0deg points up; the gradient line passes through the centre and is long enough
                // that the corners get the first and last stop colours.
                var rad = l.AngleDegrees * Math.PI / 180;
                var (dx, dy) = (Math.Sin(rad), -Math.Cos(rad));
                var half = ((Math.Abs(w * dx) + Math.Abs(h * dy)) / 2);
                var (cx, cy) = (x + (w / 2), y + (h / 2));
                using var pattern = CairoApi.cairo_pattern_create_linear(cx - (dx * half), cy - (dy * half), cx + (dx * half), cy + (dy * half));
                AddStops(pattern, l.Stops, alpha);
                CairoApi.cairo_set_source(cr, pattern);
                break;
            }
            case RadialGradientPaint r:
            {
                var (cx, cy) = (x + (r.CenterX * w), y + (r.CenterY * h));
                var far = Math.Sqrt((Math.Max(cx - x, x + w - cx) * Math.Max(cx - x, x + w - cx)) + (Math.Max(cy - y, y + h - cy) * Math.Max(cy - y, y + h - cy)));
                using var pattern = CairoApi.cairo_pattern_create_radial(cx, cy, 0, cx, cy, Math.Max(far, 1e-3));
                AddStops(pattern, r.Stops, alpha);
                CairoApi.cairo_set_source(cr, pattern);
                break;
            }
        }
    }

    private static void AddStops(CairoPatternHandle pattern, IReadOnlyList<GradientStop> stops, double alpha)
    {
        foreach (var stop in stops)
        {
            CairoApi.cairo_pattern_add_color_stop_rgba(pattern, stop.Offset, stop.Color.R, stop.Color.G, stop.Color.B, stop.Color.A * alpha);
        }
    }
}
