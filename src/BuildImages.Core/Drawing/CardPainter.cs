using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Native;
using BuildImages.Core.Text;

namespace BuildImages.Core.Drawing;

/// <summary>Paints a laid-out card with cairo at a scale (device pixels per card pixel).</summary>
internal static class CardPainter
{
    /// <summary>
    /// A card whose drawing runs past this fails (checked between elements: cairo cannot be interrupted inside one,
    /// and the one element that could run long, an SVG's filters, is budgeted before it is drawn).
    /// </summary>
    internal static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);

    internal static void Paint(CairoContextHandle cr, LayoutBox root, double scale)
    {
        CairoApi.cairo_scale(cr, scale, scale);
        PaintBox(cr, root, scale, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    private static void PaintBox(CairoContextHandle cr, LayoutBox box, double scale, long started)
    {
        if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > TimeLimit)
        {
            throw Diagnostics.BuildInputException.Error(Diagnostics.DiagnosticCodes.DrawingBudget, $"drawing the card passed its time limit of {TimeLimit.TotalSeconds:0} s (at the element from markup line {box.Node.Position.Line})");
        }
        var node = box.Node;
        if (node.Opacity <= 0)
        {
            return;
        }
        CairoApi.cairo_save(cr);
        CairoApi.cairo_translate(cr, box.X, box.Y);
        var grouped = node.Opacity < 1;
        if (grouped)
        {
            CairoApi.cairo_push_group(cr);
        }
        switch (node)
        {
            case ContainerNode c: PaintContainer(cr, box, c, scale, started); break;
            case TextNode t: PaintText(cr, box, t, scale); break;
            case RectNode r: PaintShape(cr, box, r.Fill, r.Stroke, r.StrokeWidth, r.Shadow, scale, c => ShapePath.RoundedRect(c, 0, 0, box.Width, box.Height, r.Radius)); break;
            case EllipseNode e: PaintShape(cr, box, e.Fill, e.Stroke, e.StrokeWidth, e.Shadow, scale, c => ShapePath.Ellipse(c, 0, 0, box.Width, box.Height)); break;
            case LineNode l: PaintLine(cr, l); break;
            case ImageNode i: PaintImage(cr, box, i, scale); break;
        }
        if (grouped)
        {
            CairoApi.cairo_pop_group_to_source(cr);
            CairoApi.cairo_paint_with_alpha(cr, node.Opacity);
        }
        CairoApi.cairo_restore(cr);
    }

    private static void PaintContainer(CairoContextHandle cr, LayoutBox box, ContainerNode node, double scale, long started)
    {
        void Outline(CairoContextHandle c) => ShapePath.RoundedRect(c, 0, 0, box.Width, box.Height, node.Radius);
        if (node.Shadow is { } shadow)
        {
            ShadowPainter.Paint(cr, shadow, scale, (0, 0, box.Width, box.Height), c => { Outline(c); CairoApi.cairo_fill(c); });
        }
        if (node.Background is { } bg)
        {
            Outline(cr);
            PaintSource.Set(cr, bg, 0, 0, box.Width, box.Height);
            CairoApi.cairo_fill(cr);
        }
        CairoApi.cairo_save(cr);
        if (node.Clip)
        {
            Outline(cr);
            CairoApi.cairo_clip(cr);
        }
        foreach (var child in box.Children)
        {
            PaintBox(cr, child, scale, started);
        }
        CairoApi.cairo_restore(cr);
        if (node.Stroke is { } stroke && node.StrokeWidth > 0)
        {
            StrokeInside(cr, stroke, node.StrokeWidth, box, node.Radius);
        }
    }

    private static void StrokeInside(CairoContextHandle cr, Paint stroke, double width, LayoutBox box, Corners radius)
    {
        // CSS borders sit inside the box: inset the path by half the stroke width.
        var h = width / 2;
        var inset = new Corners(Math.Max(0, radius.TopLeft - h), Math.Max(0, radius.TopRight - h), Math.Max(0, radius.BottomRight - h), Math.Max(0, radius.BottomLeft - h));
        ShapePath.RoundedRect(cr, h, h, Math.Max(0, box.Width - width), Math.Max(0, box.Height - width), inset);
        PaintSource.Set(cr, stroke, 0, 0, box.Width, box.Height);
        CairoApi.cairo_set_line_width(cr, width);
        CairoApi.cairo_stroke(cr);
    }

    private static void PaintText(CairoContextHandle cr, LayoutBox box, TextNode node, double scale)
    {
        // cairo draws pango's text; our stack's text is Skia's to draw.
        var shaped = box.Text as ShapedText ?? throw new NotSupportedException("the cairo painter draws pango's text only");
        if (node.Background is { } bg)
        {
            ShapePath.RoundedRect(cr, 0, 0, box.Width, box.Height, node.Radius);
            PaintSource.Set(cr, bg, 0, 0, box.Width, box.Height);
            CairoApi.cairo_fill(cr);
        }
        if (node.Shadow is { } shadow)
        {
            var bounds = (box.TextX + shaped.InkLeft, box.TextY + shaped.InkTop, shaped.InkRight - shaped.InkLeft, shaped.InkBottom - shaped.InkTop);
            ShadowPainter.Paint(cr, shadow, scale, bounds, c =>
            {
                // Glyphs through cairo's glyph cache: far cheaper than filling outline paths.
                CairoApi.cairo_move_to(c, box.TextX, box.TextY);
                PangoApi.pango_cairo_show_layout(c, shaped.Layout);
            });
        }
        CairoApi.cairo_move_to(cr, box.TextX, box.TextY);
        PangoApi.pango_cairo_show_layout(cr, shaped.Layout);
    }

    private static void PaintShape(CairoContextHandle cr, LayoutBox box, Paint? fill, Paint? stroke, double strokeWidth, Shadow? shadow, double scale, Action<CairoContextHandle> outline)
    {
        if (shadow is not null)
        {
            ShadowPainter.Paint(cr, shadow, scale, (0, 0, box.Width, box.Height), c => { outline(c); CairoApi.cairo_fill(c); });
        }
        if (fill is not null)
        {
            outline(cr);
            PaintSource.Set(cr, fill, 0, 0, box.Width, box.Height);
            CairoApi.cairo_fill(cr);
        }
        if (stroke is not null && strokeWidth > 0)
        {
            outline(cr);
            PaintSource.Set(cr, stroke, 0, 0, box.Width, box.Height);
            CairoApi.cairo_set_line_width(cr, strokeWidth);
            CairoApi.cairo_stroke(cr);
        }
    }

    private static void PaintLine(CairoContextHandle cr, LineNode line)
    {
        CairoApi.cairo_move_to(cr, line.X1, line.Y1);
        CairoApi.cairo_line_to(cr, line.X2, line.Y2);
        PaintSource.Set(cr, line.Stroke, Math.Min(line.X1, line.X2), Math.Min(line.Y1, line.Y2), Math.Abs(line.X2 - line.X1), Math.Abs(line.Y2 - line.Y1));
        CairoApi.cairo_set_line_width(cr, line.StrokeWidth);
        if (line.RoundCap)
        {
            CairoApi.cairo_set_line_cap(cr, CairoApi.LINE_CAP_ROUND);
        }
        CairoApi.cairo_stroke(cr);
    }

    private static void PaintImage(CairoContextHandle cr, LayoutBox box, ImageNode node, double scale)
    {
        var image = box.Image!;
        void Outline(CairoContextHandle c)
        {
            if (node.Circle)
            {
                ShapePath.Ellipse(c, 0, 0, box.Width, box.Height);
            }
            else
            {
                ShapePath.RoundedRect(c, 0, 0, box.Width, box.Height, node.Radius);
            }
        }
        var (dx, dy, dw, dh) = ImageFitting.Place(node.Fit, image.Width, image.Height, box.Width, box.Height, node.FocusX, node.FocusY);
        if (node.Shadow is { } shadow)
        {
            var clipToBox = node.Fit != ImageFit.Contain;
            ShadowPainter.Paint(cr, shadow, scale, (0, 0, box.Width, box.Height), c =>
            {
                if (clipToBox)
                {
                    Outline(c);
                    CairoApi.cairo_fill(c);
                }
                else
                {
                    ShapePath.RoundedRect(c, dx, dy, dw, dh, node.Radius);
                    CairoApi.cairo_fill(c);
                }
            });
        }
        CairoApi.cairo_save(cr);
        Outline(cr);
        CairoApi.cairo_clip(cr);
        image.Paint(cr, dx, dy, dw, dh);
        CairoApi.cairo_restore(cr);
    }
}
