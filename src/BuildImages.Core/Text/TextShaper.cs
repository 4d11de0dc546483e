using System.Runtime.InteropServices;
using System.Text;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Markup;
using BuildImages.Core.Native;

namespace BuildImages.Core.Text;

/// <summary>
/// Lays out text with pango: one font map and context per instance, so each worker thread owns one.
/// Records the font files every run used and the code points no font covered.
/// </summary>
internal sealed class TextShaper : IDisposable
{
    private readonly GObjectHandle _fontMap;
    private readonly GObjectHandle _context;

    internal TextShaper(FontCatalog fonts)
    {
        _fontMap = fonts.CreateFontMap();
        _context = new GObjectHandle(PangoApi.pango_font_map_create_context(_fontMap));
        // Unhinted, unrounded metrics: layout is linear in scale, so one layout draws at every width.
        var options = CairoApi.cairo_font_options_create();
        CairoApi.cairo_font_options_set_hint_style(options, CairoApi.HINT_STYLE_NONE);
        CairoApi.cairo_font_options_set_hint_metrics(options, CairoApi.HINT_METRICS_OFF);
        CairoApi.cairo_font_options_set_antialias(options, CairoApi.ANTIALIAS_GRAY);
        PangoApi.pango_cairo_context_set_font_options(_context, options);
        CairoApi.cairo_font_options_destroy(options);
        PangoApi.pango_cairo_context_set_resolution(_context, 72);
        PangoApi.pango_context_set_round_glyph_positions(_context, 0);
    }

    /// <summary>
    /// Shapes the text at <paramref name="size"/>, wrapped at <paramref name="width"/> (null: one line per
    /// paragraph), clamped to <paramref name="maxLines"/> and <paramref name="maxHeight"/> with an ellipsis.
    /// </summary>
    internal ShapedText Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight, TextUsage usage)
    {
        var (markup, plain) = PangoMarkupBuilder.Build(node.Inlines, style, size);
        var layout = new GObjectHandle(PangoApi.pango_layout_new(_context));
        ApplyMarkup(layout, markup, node);
        var desc = PangoApi.pango_font_description_new();
        try
        {
            PangoApi.pango_font_description_set_family(desc, FontCatalog.PangoChain(style.FontFamily ?? TextStyle.Defaults.FontFamily!));
            PangoApi.pango_font_description_set_weight(desc, style.Weight ?? 400);
            PangoApi.pango_font_description_set_style(desc, style.Italic == true ? 2 : 0);
            PangoApi.pango_font_description_set_absolute_size(desc, size * PangoApi.SCALE);
            if (!string.IsNullOrWhiteSpace(style.FontVariations))
            {
                PangoApi.pango_font_description_set_variations(desc, style.FontVariations);
            }
            PangoApi.pango_layout_set_font_description(layout, desc);
        }
        finally
        {
            PangoApi.pango_font_description_free(desc);
        }
        var align = style.Align ?? TextAlign.Start;
        PangoApi.pango_layout_set_alignment(layout, align switch
        {
            TextAlign.Center => PangoApi.ALIGN_CENTER,
            TextAlign.End => PangoApi.ALIGN_RIGHT,
            _ => PangoApi.ALIGN_LEFT,
        });
        PangoApi.pango_layout_set_justify(layout, align == TextAlign.Justify ? 1 : 0);
        if (width is { } w)
        {
            PangoApi.pango_layout_set_width(layout, Math.Max(1, (int)Math.Floor(w * PangoApi.SCALE)));
            PangoApi.pango_layout_set_wrap(layout, PangoApi.WRAP_WORD_CHAR);
        }
        if (maxLines is { } lines)
        {
            PangoApi.pango_layout_set_height(layout, -lines);
            PangoApi.pango_layout_set_ellipsize(layout, PangoApi.ELLIPSIZE_END);
        }
        var shaped = Measure(layout, size);
        if (maxHeight is { } h && shaped.Height > h + 0.5)
        {
            PangoApi.pango_layout_set_height(layout, Math.Max(1, (int)Math.Floor(h * PangoApi.SCALE)));
            PangoApi.pango_layout_set_ellipsize(layout, PangoApi.ELLIPSIZE_END);
            shaped = Measure(layout, size);
        }
        usage.Record(layout, Cut(plain));
        return shaped;
    }

    /// <summary>
    /// Characters one text element is shaped with. No card shows more, and pango's coordinates are 32-bit in
    /// 1/1024 px, so a line past ~2 million px (a megabyte of text at title size) wraps around and draws garbage.
    /// </summary>
    internal const int MaxCharacters = 10_000;

    /// <summary>The text up to <see cref="MaxCharacters"/> (or <paramref name="max"/>), cut between grapheme clusters.</summary>
    internal static string Cut(string text, int max = MaxCharacters)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var end = 0;
        while (end < text.Length)
        {
            var next = end + System.Globalization.StringInfo.GetNextTextElementLength(text.AsSpan(end));
            if (next > max)
            {
                break;
            }
            end = next;
        }
        return text[..end];
    }

    /// <summary>Natural single-line width (the widest paragraph), for intrinsic sizing.</summary>
    internal double NaturalWidth(TextNode node, TextStyle style, double size)
    {
        using var shaped = Shape(node, style, size, null, null, null, TextUsage.Ignore);
        return shaped.Width;
    }

    private static void ApplyMarkup(GObjectHandle layout, string markup, TextNode node)
    {
        var bytes = Encoding.UTF8.GetBytes(markup);
        if (PangoApi.pango_parse_markup(bytes, bytes.Length, 0, out var attrs, out var text, IntPtr.Zero, out var error) == 0)
        {
            var message = GObjectApi.TakeError(error);
            throw BuildInputException.For(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MarkupSyntax, "text could not be shaped: " + message, Line: node.Position.Line, Column: node.Position.Column));
        }
        var plain = Cut(Marshal.PtrToStringUTF8(text) ?? string.Empty);
        GObjectApi.g_free(text);
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        PangoApi.pango_layout_set_text(layout, plainBytes, plainBytes.Length);
        PangoApi.pango_layout_set_attributes(layout, attrs);
        PangoApi.pango_attr_list_unref(attrs);
    }

    private static ShapedText Measure(GObjectHandle layout, double size)
    {
        PangoApi.pango_layout_get_extents(layout, out var ink, out var logical);
        const double s = PangoApi.SCALE;
        return new ShapedText(
            layout,
            (logical.X + logical.Width) / s,
            (logical.Y + logical.Height) / s,
            ink.X / s,
            ink.Y / s,
            (ink.X + ink.Width) / s,
            (ink.Y + ink.Height) / s,
            PangoApi.pango_layout_get_line_count(layout),
            PangoApi.pango_layout_is_ellipsized(layout) != 0,
            size);
    }

    public void Dispose()
    {
        _context.Dispose();
        _fontMap.Dispose();
    }
}
