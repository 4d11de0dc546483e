using BuildImages.Core.Markup;
using BuildImages.Core.Native;

namespace BuildImages.Core.Drawing;

/// <summary>
/// Draws a blurred drop shadow: the shape is rendered into an alpha mask in device pixels, blurred,
/// and used to paint the shadow colour. Only the shape's bounds plus the blur margin are allocated.
/// </summary>
internal static class ShadowPainter
{
    /// <param name="cr">The card's context, with its current transform.</param>
    /// <param name="shadow">Offset, blur and colour.</param>
    /// <param name="scale">Device pixels per card pixel (blur is in card pixels).</param>
    /// <param name="bounds">The shape's bounds in user space (before the shadow offset).</param>
    /// <param name="drawShape">Draws the shape (fill or glyphs) in opaque black on the given context.</param>
    internal static void Paint(CairoContextHandle cr, Shadow shadow, double scale, (double X, double Y, double W, double H) bounds, Action<CairoContextHandle> drawShape)
    {
        CairoApi.cairo_get_matrix(cr, out var matrix);
        var sigma = shadow.Blur / 2 * scale;
        // A soft shadow has no detail to lose: blur a mask downsampled by about sigma/2, then scale it up.
        var factor = Math.Max(1, (int)Math.Floor(sigma / 2));
        var margin = (int)Math.Ceiling(sigma * 3) + 2;
        double x0 = bounds.X + shadow.OffsetX, y0 = bounds.Y + shadow.OffsetY, x1 = x0 + bounds.W, y1 = y0 + bounds.H;
        CairoApi.cairo_user_to_device(cr, ref x0, ref y0);
        CairoApi.cairo_user_to_device(cr, ref x1, ref y1);
        // Only the part that can show matters: the shape's device bounds cut to the visible area (plus the blur's
        // reach). Text overflowing its box can be far larger than the card, and cairo refuses surfaces over 32767 px.
        CairoApi.cairo_save(cr);
        CairoApi.cairo_identity_matrix(cr);
        CairoApi.cairo_clip_extents(cr, out var clipLeft, out var clipTop, out var clipRight, out var clipBottom);
        CairoApi.cairo_restore(cr);
        var fromX = Math.Max(Math.Min(x0, x1), clipLeft - margin);
        var fromY = Math.Max(Math.Min(y0, y1), clipTop - margin);
        var toX = Math.Min(Math.Max(x0, x1), clipRight + margin);
        var toY = Math.Min(Math.Max(y0, y1), clipBottom + margin);
        if (toX <= fromX || toY <= fromY)
        {
            return;
        }
        var left = (int)Math.Floor(fromX) - margin;
        var top = (int)Math.Floor(fromY) - margin;
        var width = ((int)Math.Ceiling(toX - fromX) + (2 * margin) + 1 + factor - 1) / factor;
        var height = ((int)Math.Ceiling(toY - fromY) + (2 * margin) + 1 + factor - 1) / factor;
        if (width <= 0 || height <= 0 || width > 32767 || height > 32767 || (long)width * height > 64_000_000)
        {
            return;
        }
        using var mask = CairoApi.cairo_image_surface_create(CairoApi.FORMAT_A8, width, height);
        if (CairoApi.cairo_surface_status(mask) != 0)
        {
            return;
        }
        using (var mcr = CairoApi.cairo_create(mask))
        {
            // The card's user transform, moved so the mask's origin is (left, top) in device space and shrunk by the factor.
            var m = matrix;
            m.Xx /= factor;
            m.Yy /= factor;
            m.Xy /= factor;
            m.Yx /= factor;
            m.X0 = (matrix.X0 - left + (shadow.OffsetX * matrix.Xx)) / factor;
            m.Y0 = (matrix.Y0 - top + (shadow.OffsetY * matrix.Yy)) / factor;
            CairoApi.cairo_set_matrix(mcr, ref m);
            CairoApi.cairo_set_source_rgba(mcr, 0, 0, 0, 1);
            drawShape(mcr);
        }
        CairoApi.cairo_surface_flush(mask);
        unsafe
        {
            var stride = CairoApi.cairo_image_surface_get_stride(mask);
            var data = new Span<byte>((void*)CairoApi.cairo_image_surface_get_data(mask), stride * height);
            BoxBlur.Gaussian(data, width, height, stride, sigma / factor);
        }
        CairoApi.cairo_surface_mark_dirty(mask);
        CairoApi.cairo_save(cr);
        CairoApi.cairo_identity_matrix(cr);
        CairoApi.cairo_translate(cr, left, top);
        CairoApi.cairo_scale(cr, factor, factor);
        CairoApi.cairo_set_source_rgba(cr, shadow.Color.R, shadow.Color.G, shadow.Color.B, shadow.Color.A);
        CairoApi.cairo_mask_surface(cr, mask, 0, 0);
        CairoApi.cairo_restore(cr);
    }
}
