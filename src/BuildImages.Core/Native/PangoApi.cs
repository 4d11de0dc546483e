using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

[StructLayout(LayoutKind.Sequential)]
internal struct PangoRectangle
{
    public int X, Y, Width, Height;
}

internal static partial class PangoApi
{
    internal const int SCALE = 1024;
    internal const int ALIGN_LEFT = 0;
    internal const int ALIGN_CENTER = 1;
    internal const int ALIGN_RIGHT = 2;
    internal const int WRAP_WORD_CHAR = 2;
    internal const int ELLIPSIZE_END = 3;
    internal const uint GLYPH_UNKNOWN_FLAG = 0x10000000;

    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_version_string();
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_font_map_create_context(GObjectHandle fontMap);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_font_map_list_families(GObjectHandle fontMap, out IntPtr families, out int count);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_font_family_get_name(IntPtr family);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_context_set_round_glyph_positions(GObjectHandle context, int round);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_layout_new(GObjectHandle context);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial int pango_parse_markup(byte[] markup, int length, uint accelMarker, out IntPtr attrList, out IntPtr text, IntPtr accelChar, out IntPtr error);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_attr_list_unref(IntPtr list);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_text(GObjectHandle layout, byte[] text, int length);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_attributes(GObjectHandle layout, IntPtr attrs);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_font_description(GObjectHandle layout, IntPtr desc);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_width(GObjectHandle layout, int width);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_height(GObjectHandle layout, int height);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_wrap(GObjectHandle layout, int wrap);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_ellipsize(GObjectHandle layout, int ellipsize);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_alignment(GObjectHandle layout, int alignment);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_set_justify(GObjectHandle layout, int justify);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_get_extents(GObjectHandle layout, out PangoRectangle ink, out PangoRectangle logical);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial int pango_layout_is_ellipsized(GObjectHandle layout);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial int pango_layout_get_line_count(GObjectHandle layout);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_layout_get_iter(GObjectHandle layout);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_layout_iter_get_run_readonly(IntPtr iter);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial int pango_layout_iter_next_run(IntPtr iter);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_layout_iter_free(IntPtr iter);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial IntPtr pango_font_description_new();
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_font_description_free(IntPtr desc);
    [LibraryImport(NativeLibraryNames.Pango, StringMarshalling = StringMarshalling.Utf8)] internal static partial void pango_font_description_set_family(IntPtr desc, string family);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_font_description_set_weight(IntPtr desc, int weight);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_font_description_set_style(IntPtr desc, int style);
    [LibraryImport(NativeLibraryNames.Pango)] internal static partial void pango_font_description_set_absolute_size(IntPtr desc, double size);
    [LibraryImport(NativeLibraryNames.Pango, StringMarshalling = StringMarshalling.Utf8)] internal static partial void pango_font_description_set_variations(IntPtr desc, string variations);

    [LibraryImport(NativeLibraryNames.PangoCairo)] internal static partial GObjectHandle pango_cairo_font_map_new();
    [LibraryImport(NativeLibraryNames.PangoCairo)] internal static partial void pango_cairo_context_set_font_options(GObjectHandle context, IntPtr options);
    [LibraryImport(NativeLibraryNames.PangoCairo)] internal static partial void pango_cairo_context_set_resolution(GObjectHandle context, double dpi);
    [LibraryImport(NativeLibraryNames.PangoCairo)] internal static partial void pango_cairo_show_layout(CairoContextHandle cr, GObjectHandle layout);

    [LibraryImport(NativeLibraryNames.PangoFt2)] internal static partial void pango_fc_font_map_set_config(GObjectHandle fontMap, FontconfigHandle config);
    [LibraryImport(NativeLibraryNames.PangoFt2)] internal static partial IntPtr pango_fc_font_get_pattern(IntPtr font);
}
