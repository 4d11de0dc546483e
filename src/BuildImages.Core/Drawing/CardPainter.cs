using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;
using SkiaSharp;

namespace BuildImages.Core.Drawing;

/// <summary>
/// Paints a laid-out card with Skia: boxes, radii, borders inside the box, linear and radial gradients, blurred
/// shadows, clipping, opacity groups, lines and images (raster and SVG); text set by <see cref="Text.ParagraphLayout"/>
/// and drawn by <see cref="SkiaText"/>.
/// </summary>
internal static class CardPainter
{
    /// <summary>
    /// A card whose drawing runs past this fails (checked between elements: Skia cannot be interrupted inside one,
    /// and the one element that could run long, an SVG's filters, is budgeted before it is drawn).
    /// </summary>
    internal static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);

    internal static void Paint(SKCanvas canvas, LayoutBox root, double scale, SkiaText text)
    {
        canvas.Scale((float)scale);
        PaintBox(canvas, root, text, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    private static void PaintBox(SKCanvas canvas, LayoutBox box, SkiaText text, long started)
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
        // Restored to this count at the end: an opacity group is a second save, and restoring once would leave the
        // element's translation in place for every sibling drawn after it.
        var saved = canvas.Save();
        canvas.Translate((float)box.X, (float)box.Y);
        if (node.Opacity < 1)
        {
            // An opacity group: the element and its children composed first, then faded together (CSS opacity). A
            // leaf's group is bounded by what it can draw: an unbounded layer is the whole card, cleared and blended
            // back for every faded line of text (about 2.5 of the peer card's 16 ms at 1200 px).
            using var fade = new SKPaint { Color = SKColors.White.WithAlpha((byte)Math.Round(node.Opacity * 255)) };
            if (InkBounds(box) is { } bounds)
            {
                canvas.SaveLayer(bounds, fade);
            }
            else
            {
                canvas.SaveLayer(fade);
            }
        }
        switch (node)
        {
            case ContainerNode c: PaintContainer(canvas, box, c, text, started); break;
            case TextNode t: PaintText(canvas, box, t, text); break;
            case RectNode r: PaintShape(canvas, box, r.Fill, r.Stroke, r.StrokeWidth, r.Shadow, RoundedRect(0, 0, box.Width, box.Height, r.Radius)); break;
            case EllipseNode e: PaintShape(canvas, box, e.Fill, e.Stroke, e.StrokeWidth, e.Shadow, Ellipse(box.Width, box.Height)); break;
            case LineNode l: PaintLine(canvas, l); break;
            case ImageNode i: PaintImage(canvas, box, i); break;
        }
        canvas.RestoreToCount(saved);
    }

    /// <summary>
    /// Where a leaf element can put ink, in its own coordinates, with room to spare: its box, grown by its shadow's
    /// reach, half its stroke, and for text twice its largest font size (glyphs overhang their line boxes: marks,
    /// swashes, emoji). Null for a container (children may overflow it) and a line (drawn from its own points): their
    /// groups stay the size of the card.
    /// </summary>
    private static SKRect? InkBounds(LayoutBox box)
    {
        static double Reach(Shadow? shadow) => shadow is null ? 0 : (3 * shadow.Blur) + Math.Max(Math.Abs(shadow.OffsetX), Math.Abs(shadow.OffsetY));
        var margin = box.Node switch
        {
            TextNode t => Reach(t.Shadow) + (2 * (box.Text?.Paragraph.Lines.SelectMany(l => l.Runs).Select(r => (double)r.Size).DefaultIfEmpty(0).Max() ?? 0)),
            RectNode r => Reach(r.Shadow) + r.StrokeWidth,
            EllipseNode e => Reach(e.Shadow) + e.StrokeWidth,
            ImageNode i => Reach(i.Shadow),
            _ => double.NaN,
        };
        return double.IsNaN(margin) ? null : new SKRect((float)-margin - 1, (float)-margin - 1, (float)(box.Width + margin + 1), (float)(box.Height + margin + 1));
    }

    private static void PaintContainer(SKCanvas canvas, LayoutBox box, ContainerNode node, SkiaText text, long started)
    {
        using var outline = RoundedRect(0, 0, box.Width, box.Height, node.Radius);
        if (node.Shadow is { } shadow)
        {
            PaintShadow(canvas, shadow, outline);
        }
        if (node.Background is { } background)
        {
            using var paint = Fill(canvas, background, 0, 0, box.Width, box.Height);
            canvas.DrawPath(outline, paint);
        }
        canvas.Save();
        if (node.Clip)
        {
            canvas.ClipPath(outline, SKClipOperation.Intersect, antialias: true);
        }
        foreach (var child in box.Children)
        {
            PaintBox(canvas, child, text, started);
        }
        canvas.Restore();
        if (node.Stroke is { } stroke && node.StrokeWidth > 0)
        {
            // CSS borders sit inside the box: the path inset by half the stroke width.
            var h = node.StrokeWidth / 2;
            var r = node.Radius;
            var inset = new Corners(Math.Max(0, r.TopLeft - h), Math.Max(0, r.TopRight - h), Math.Max(0, r.BottomRight - h), Math.Max(0, r.BottomLeft - h));
            using var path = RoundedRect(h, h, Math.Max(0, box.Width - node.StrokeWidth), Math.Max(0, box.Height - node.StrokeWidth), inset);
            using var paint = Stroke(stroke, node.StrokeWidth, 0, 0, box.Width, box.Height);
            canvas.DrawPath(path, paint);
        }
    }

    private static void PaintText(SKCanvas canvas, LayoutBox box, TextNode node, SkiaText text)
    {
        if (node.Background is { } background)
        {
            using var outline = RoundedRect(0, 0, box.Width, box.Height, node.Radius);
            using var paint = Fill(canvas, background, 0, 0, box.Width, box.Height);
            canvas.DrawPath(outline, paint);
        }
        // Layout sets every text box's paragraph: it is drawn as measured.
        var block = box.Text ?? throw new InvalidOperationException($"the text element from markup line {node.Position.Line} was not laid out");
        var (paragraph, decorations) = (block.Paragraph, block.Decorations);
        if (node.Shadow is { } shadow)
        {
            using var blur = shadow.Blur > 0 ? SKMaskFilter.CreateBlur(SKBlurStyle.Normal, (float)(shadow.Blur / 2)) : null;
            text.Draw(canvas, paragraph, decorations, box.TextX + shadow.OffsetX, box.TextY + shadow.OffsetY, Color(shadow.Color), blur);
        }
        text.Draw(canvas, paragraph, decorations, box.TextX, box.TextY);
    }

    private static void PaintShape(SKCanvas canvas, LayoutBox box, Paint? fill, Paint? stroke, double strokeWidth, Shadow? shadow, SKPath outline)
    {
        using (outline)
        {
            if (shadow is not null)
            {
                PaintShadow(canvas, shadow, outline);
            }
            if (fill is not null)
            {
                using var paint = Fill(canvas, fill, 0, 0, box.Width, box.Height);
                canvas.DrawPath(outline, paint);
            }
            if (stroke is not null && strokeWidth > 0)
            {
                using var paint = Stroke(stroke, strokeWidth, 0, 0, box.Width, box.Height);
                canvas.DrawPath(outline, paint);
            }
        }
    }

    private static void PaintLine(SKCanvas canvas, LineNode line)
    {
        using var paint = Stroke(line.Stroke, line.StrokeWidth, Math.Min(line.X1, line.X2), Math.Min(line.Y1, line.Y2), Math.Abs(line.X2 - line.X1), Math.Abs(line.Y2 - line.Y1));
        paint.StrokeCap = line.RoundCap ? SKStrokeCap.Round : SKStrokeCap.Butt;
        canvas.DrawLine((float)line.X1, (float)line.Y1, (float)line.X2, (float)line.Y2, paint);
    }

    private static void PaintImage(SKCanvas canvas, LayoutBox box, ImageNode node)
    {
        var image = box.Image!;
        using var outline = node.Circle ? Ellipse(box.Width, box.Height) : RoundedRect(0, 0, box.Width, box.Height, node.Radius);
        var (dx, dy, dw, dh) = ImageFitting.Place(node.Fit, image.Width, image.Height, box.Width, box.Height, node.FocusX, node.FocusY);
        if (node.Shadow is { } shadow)
        {
            // Contain leaves the box partly empty: the shadow follows the picture, not the box.
            using var placed = node.Fit == ImageFit.Contain ? RoundedRect(dx, dy, dw, dh, node.Radius) : null;
            PaintShadow(canvas, shadow, placed ?? outline);
        }
        canvas.Save();
        canvas.ClipPath(outline, SKClipOperation.Intersect, antialias: true);
        image.Draw(canvas, dx, dy, dw, dh);
        canvas.Restore();
    }

    /// <summary>A drop shadow: the shape in the shadow's colour, moved by its offset and blurred with a Gaussian of sigma blur/2 (as browsers blur a CSS box-shadow).</summary>
    private static void PaintShadow(SKCanvas canvas, Shadow shadow, SKPath shape)
    {
        using var paint = new SKPaint { Color = Color(shadow.Color), IsAntialias = true };
        if (shadow.Blur > 0)
        {
            paint.MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, (float)(shadow.Blur / 2));
        }
        canvas.Save();
        canvas.Translate((float)shadow.OffsetX, (float)shadow.OffsetY);
        canvas.DrawPath(shape, paint);
        canvas.Restore();
    }

    private static SKPaint Fill(SKCanvas canvas, Paint paint, double x, double y, double w, double h)
    {
        var result = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        var m = canvas.TotalMatrix;
        if (GradientGeometry.WorthDownsampling(paint, w, h, m.ScaleX, m.ScaleY))
        {
            Downsampled(result, paint, x, y, w, h, Math.Abs(m.ScaleX));
        }
        else
        {
            Apply(result, paint, x, y, w, h);
        }
        return result;
    }

    /// <summary>
    /// A smooth gradient has no detail finer than its stops: drawn into a surface at a quarter of the device resolution
    /// and scaled up bilinearly it is the same picture at a fraction of the cost (a 1200×630 card with three full-size
    /// gradients spent most of its Skia draw in the gradient stages).
    /// </summary>
    private static void Downsampled(SKPaint target, Paint paint, double x, double y, double w, double h, double deviceScale)
    {
        var factor = 4.0 / deviceScale;
        var sw = Math.Max(2, (int)Math.Ceiling(w / factor) + 1);
        var sh = Math.Max(2, (int)Math.Ceiling(h / factor) + 1);
        using var surface = SKSurface.Create(new SKImageInfo(sw, sh, SKColorType.Bgra8888, SKAlphaType.Premul));
        using (var small = new SKPaint { Style = SKPaintStyle.Fill })
        {
            Apply(small, paint, 0, 0, w, h);
            surface.Canvas.Scale((float)(1 / factor));
            surface.Canvas.DrawRect(new SKRect(0, 0, (float)(w + factor), (float)(h + factor)), small);
        }
        using var image = surface.Snapshot();
        // Image space to the box: grown by the factor, moved to the box's corner.
        var local = SKMatrix.CreateScale((float)factor, (float)factor).PostConcat(SKMatrix.CreateTranslation((float)x, (float)y));
        target.Shader = image.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), local);
    }

    private static SKPaint Stroke(Paint paint, double width, double x, double y, double w, double h)
    {
        var result = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = (float)width };
        Apply(result, paint, x, y, w, h);
        return result;
    }

    /// <summary>A paint's colour or gradient over a box at (x, y, w, h), with the geometry CSS gives gradients.</summary>
    private static void Apply(SKPaint target, Paint paint, double x, double y, double w, double h)
    {
        switch (paint)
        {
            case SolidPaint s:
                target.Color = Color(s.Color);
                break;
            case LinearGradientPaint l:
            {
                var (x0, y0, x1, y1) = GradientGeometry.Line(l.AngleDegrees, x, y, w, h);
                target.Shader = SKShader.CreateLinearGradient(
                    new SKPoint((float)x0, (float)y0),
                    new SKPoint((float)x1, (float)y1),
                    [.. l.Stops.Select(s => Color(s.Color))],
                    [.. l.Stops.Select(s => (float)s.Offset)],
                    SKShaderTileMode.Clamp);
                break;
            }
            case RadialGradientPaint r:
            {
                var (cx, cy, radius) = GradientGeometry.Circle(r, x, y, w, h);
                target.Shader = SKShader.CreateRadialGradient(
                    new SKPoint((float)cx, (float)cy),
                    (float)radius,
                    [.. r.Stops.Select(s => Color(s.Color))],
                    [.. r.Stops.Select(s => (float)s.Offset)],
                    SKShaderTileMode.Clamp);
                break;
            }
        }
    }

    /// <summary>A colour as Skia's 8-bit one (unpremultiplied), each channel rounded.</summary>
    internal static SKColor Color(Rgba c) =>
        new((byte)Math.Round(Math.Clamp(c.R, 0, 1) * 255), (byte)Math.Round(Math.Clamp(c.G, 0, 1) * 255), (byte)Math.Round(Math.Clamp(c.B, 0, 1) * 255), (byte)Math.Round(Math.Clamp(c.A, 0, 1) * 255));

    /// <summary>A rectangle with CSS corner radii: radii that do not fit are scaled down together.</summary>
    private static SKPath RoundedRect(double x, double y, double w, double h, Corners r)
    {
        using var path = new SKPathBuilder();
        var rect = new SKRect((float)x, (float)y, (float)(x + w), (float)(y + h));
        if (r.IsZero)
        {
            path.AddRect(rect, SKPathDirection.Clockwise);
            return path.Detach();
        }
        var fitted = r.FittedTo(w, h);
        using var rounded = new SKRoundRect();
        static SKPoint Radius(double v) => new((float)v, (float)v);
        rounded.SetRectRadii(rect, [Radius(fitted.TopLeft), Radius(fitted.TopRight), Radius(fitted.BottomRight), Radius(fitted.BottomLeft)]);
        path.AddRoundRect(rounded, SKPathDirection.Clockwise);
        return path.Detach();
    }

    private static SKPath Ellipse(double w, double h)
    {
        using var path = new SKPathBuilder();
        if (w > 0 && h > 0)
        {
            path.AddOval(new SKRect(0, 0, (float)w, (float)h), SKPathDirection.Clockwise);
        }
        return path.Detach();
    }
}
