using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

internal static partial class CairoApi
{
    internal const int FORMAT_ARGB32 = 0;
    internal const int FORMAT_A8 = 2;
    internal const int FILTER_GOOD = 1;
    internal const int EXTEND_PAD = 3;
    internal const int LINE_CAP_ROUND = 1;
    internal const int ANTIALIAS_GRAY = 2;
    internal const int HINT_STYLE_NONE = 1;
    internal const int HINT_METRICS_OFF = 1;

    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial IntPtr cairo_version_string();
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoSurfaceHandle cairo_image_surface_create(int format, int width, int height);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoSurfaceHandle cairo_image_surface_create_for_data(IntPtr data, int format, int width, int height, int stride);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_surface_finish(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial IntPtr cairo_image_surface_get_data(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial int cairo_image_surface_get_stride(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial int cairo_surface_status(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_surface_flush(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_surface_mark_dirty(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_surface_destroy(IntPtr surface);

    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoContextHandle cairo_create(CairoSurfaceHandle target);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_destroy(IntPtr cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial int cairo_status(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_save(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_restore(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_scale(CairoContextHandle cr, double sx, double sy);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_translate(CairoContextHandle cr, double tx, double ty);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_identity_matrix(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_user_to_device(CairoContextHandle cr, ref double x, ref double y);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_clip_extents(CairoContextHandle cr, out double x1, out double y1, out double x2, out double y2);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_new_sub_path(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_close_path(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_move_to(CairoContextHandle cr, double x, double y);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_line_to(CairoContextHandle cr, double x, double y);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_arc(CairoContextHandle cr, double xc, double yc, double radius, double angle1, double angle2);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_rectangle(CairoContextHandle cr, double x, double y, double width, double height);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_source_rgba(CairoContextHandle cr, double r, double g, double b, double a);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_source(CairoContextHandle cr, CairoPatternHandle source);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_source_surface(CairoContextHandle cr, CairoSurfaceHandle surface, double x, double y);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial IntPtr cairo_get_source(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_set_filter(IntPtr pattern, int filter);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_set_extend(IntPtr pattern, int extend);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_line_width(CairoContextHandle cr, double width);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_line_cap(CairoContextHandle cr, int cap);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_fill(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_stroke(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_clip(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_paint(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_paint_with_alpha(CairoContextHandle cr, double alpha);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_mask_surface(CairoContextHandle cr, CairoSurfaceHandle surface, double x, double y);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_push_group(CairoContextHandle cr);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pop_group_to_source(CairoContextHandle cr);

    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoPatternHandle cairo_pattern_create_linear(double x0, double y0, double x1, double y1);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoPatternHandle cairo_pattern_create_radial(double cx0, double cy0, double radius0, double cx1, double cy1, double radius1);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_add_color_stop_rgba(CairoPatternHandle pattern, double offset, double r, double g, double b, double a);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_set_matrix(CairoPatternHandle pattern, ref CairoMatrix matrix);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_destroy(IntPtr pattern);

    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial IntPtr cairo_font_options_create();
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_font_options_destroy(IntPtr options);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_font_options_set_antialias(IntPtr options, int antialias);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_font_options_set_hint_style(IntPtr options, int style);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_font_options_set_hint_metrics(IntPtr options, int metrics);
}

[StructLayout(LayoutKind.Sequential)]
internal struct CairoMatrix
{
    public double Xx, Yx, Xy, Yy, X0, Y0;
}

internal sealed class CairoSurfaceHandle : SafeHandle
{
    public CairoSurfaceHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() { CairoApi.cairo_surface_destroy(handle); return true; }
}

internal sealed class CairoContextHandle : SafeHandle
{
    public CairoContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() { CairoApi.cairo_destroy(handle); return true; }
}

internal sealed class CairoPatternHandle : SafeHandle
{
    public CairoPatternHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() { CairoApi.cairo_pattern_destroy(handle); return true; }
}

internal static partial class CairoApi
{
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_get_matrix(CairoContextHandle cr, out CairoMatrix matrix);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_set_matrix(CairoContextHandle cr, ref CairoMatrix matrix);
}

internal static partial class CairoApi
{
    internal const int FILTER_BILINEAR = 4;

    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial CairoPatternHandle cairo_pattern_create_for_surface(CairoSurfaceHandle surface);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_set_filter(CairoPatternHandle pattern, int filter);
    [LibraryImport(NativeLibraryNames.Cairo)] internal static partial void cairo_pattern_set_extend(CairoPatternHandle pattern, int extend);
}
