using System.Runtime.InteropServices;
using BuildImages.Core.Native;

namespace BuildImages.Core.Text;

/// <summary>
/// Collects, over one render, the font files the text was drawn with and the code points no font covered
/// (drawn as a box otherwise). For pango, walks the shaped runs: PangoGlyphItem → PangoItem.analysis.font, and
/// glyphs flagged PANGO_GLYPH_UNKNOWN_FLAG, whose low bits are the code point; for our own stack, reads the paragraph.
/// </summary>
internal sealed class TextUsage
{
    // PangoItem: offset, length, num_chars (3 ints, padded to 16), then PangoAnalysis:
    // shape_engine, lang_engine, font (pointers), level (byte).
    private const int ItemFontOffset = 16 + (2 * 8);
    private const int ItemLevelOffset = ItemFontOffset + 8;
    private const int GlyphInfoSize = 20;

    private readonly bool _enabled;

    private TextUsage(bool enabled) => _enabled = enabled;

    internal TextUsage() : this(true) { }

    internal static TextUsage Ignore { get; } = new(false);

    internal SortedSet<string> FontFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Uncovered code points with the text they were found in.</summary>
    internal List<(int CodePoint, string Text)> Uncovered { get; } = [];

    /// <summary>Whether any run was laid out right to left (bidi level odd).</summary>
    internal bool HasRightToLeftRun { get; private set; }

    internal void Record(GObjectHandle layout, string plainText)
    {
        if (!_enabled)
        {
            return;
        }
        var iter = PangoApi.pango_layout_get_iter(layout);
        try
        {
            do
            {
                var run = PangoApi.pango_layout_iter_get_run_readonly(iter);
                if (run == IntPtr.Zero)
                {
                    continue;
                }
                var item = Marshal.ReadIntPtr(run, 0);
                var glyphs = Marshal.ReadIntPtr(run, IntPtr.Size);
                var font = Marshal.ReadIntPtr(item, ItemFontOffset);
                if ((Marshal.ReadByte(item, ItemLevelOffset) & 1) == 1)
                {
                    HasRightToLeftRun = true;
                }
                RecordFont(font);
                var count = Marshal.ReadInt32(glyphs, 0);
                var infos = Marshal.ReadIntPtr(glyphs, IntPtr.Size);
                for (var i = 0; i < count; i++)
                {
                    var glyph = (uint)Marshal.ReadInt32(infos, i * GlyphInfoSize);
                    if ((glyph & PangoApi.GLYPH_UNKNOWN_FLAG) != 0)
                    {
                        var cp = (int)(glyph & ~PangoApi.GLYPH_UNKNOWN_FLAG);
                        if (!Uncovered.Exists(u => u.CodePoint == cp))
                        {
                            Uncovered.Add((cp, plainText));
                        }
                    }
                }
            }
            while (PangoApi.pango_layout_iter_next_run(iter) != 0);
        }
        finally
        {
            PangoApi.pango_layout_iter_free(iter);
        }
    }

    /// <summary>The same for text set by our own stack: the faces its runs drew with, and what no face covered.</summary>
    internal void Record(LaidOutParagraph paragraph, string plainText)
    {
        if (!_enabled)
        {
            return;
        }
        foreach (var run in paragraph.Lines.SelectMany(l => l.Runs))
        {
            FontFiles.Add(run.Face.File);
            HasRightToLeftRun |= run.RightToLeft;
        }
        foreach (var cp in paragraph.Missing)
        {
            if (!Uncovered.Exists(u => u.CodePoint == cp))
            {
                Uncovered.Add((cp, plainText));
            }
        }
    }

    private void RecordFont(IntPtr font)
    {
        if (font == IntPtr.Zero)
        {
            return;
        }
        var pattern = PangoApi.pango_fc_font_get_pattern(font);
        if (pattern != IntPtr.Zero && FontconfigApi.FcPatternGetString(pattern, "file", 0, out var file) == 0)
        {
            if (Marshal.PtrToStringUTF8(file) is { } path)
            {
                FontFiles.Add(path);
            }
        }
    }
}
