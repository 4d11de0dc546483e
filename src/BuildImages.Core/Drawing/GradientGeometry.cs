using BuildImages.Core.Markup;

namespace BuildImages.Core.Drawing;

/// <summary>Where CSS puts a gradient in a box, and when it is worth drawing at a quarter resolution: the same for both painters.</summary>
internal static class GradientGeometry
{
    /// <summary>Smooth gradients over more device pixels than this are drawn at a quarter of the resolution and scaled up.</summary>
    private const double DownsampledMinPixels = 160_000;

    /// <summary>
    /// A linear gradient's line in a box at (x, y, w, h): CSS's 0deg points up; the line passes through the centre and is
    /// long enough that the corners get the first and last stop colours.
    /// </summary>
    internal static (double X0, double Y0, double X1, double Y1) Line(double angleDegrees, double x, double y, double w, double h)
    {
        var rad = angleDegrees * Math.PI / 180;
        var (dx, dy) = (Math.Sin(rad), -Math.Cos(rad));
        var half = (Math.Abs(w * dx) + Math.Abs(h * dy)) / 2;
        var (cx, cy) = (x + (w / 2), y + (h / 2));
        return (cx - (dx * half), cy - (dy * half), cx + (dx * half), cy + (dy * half));
    }

    /// <summary>A radial gradient's centre and radius in a box: the radius reaches the farthest corner.</summary>
    internal static (double Cx, double Cy, double Radius) Circle(RadialGradientPaint r, double x, double y, double w, double h)
    {
        var (cx, cy) = (x + (r.CenterX * w), y + (r.CenterY * h));
        var far = Math.Sqrt((Math.Max(cx - x, x + w - cx) * Math.Max(cx - x, x + w - cx)) + (Math.Max(cy - y, y + h - cy) * Math.Max(cy - y, y + h - cy)));
        return (cx, cy, Math.Max(far, 1e-3));
    }

    /// <summary>
    /// Whether a gradient over a w×h box is drawn at a quarter resolution and scaled up bilinearly: it is large on the
    /// device, every colour change spreads over at least 16 device pixels (so upscaling cannot soften a hard stop), and
    /// it is not an axial linear gradient (one colour per row or column is already cheap).
    /// </summary>
    /// <param name="paint">The gradient.</param>
    /// <param name="w">The box's width in user units.</param>
    /// <param name="h">The box's height in user units.</param>
    /// <param name="scaleX">Device pixels per user unit across.</param>
    /// <param name="scaleY">Device pixels per user unit down.</param>
    internal static bool WorthDownsampling(Paint paint, double w, double h, double scaleX, double scaleY)
    {
        var stops = paint switch
        {
            LinearGradientPaint l when Math.Abs(Math.IEEERemainder(l.AngleDegrees, 90)) >= 1e-9 => l.Stops,
            RadialGradientPaint r => r.Stops,
            _ => null,
        };
        if (stops is null || w * h * Math.Abs(scaleX * scaleY) <= DownsampledMinPixels)
        {
            return false;
        }
        var length = Math.Min(w, h) * Math.Abs(scaleX);
        for (var i = 1; i < stops.Count; i++)
        {
            if (stops[i].Color != stops[i - 1].Color && (stops[i].Offset - stops[i - 1].Offset) * length < 16)
            {
                return false;
            }
        }
        return true;
    }
}
