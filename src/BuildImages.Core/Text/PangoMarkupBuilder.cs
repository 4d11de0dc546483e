using System.Globalization;
using System.Text;
using BuildImages.Core.Markup;

namespace BuildImages.Core.Text;

/// <summary>
/// Turns a text element's inline tree into pango markup. Whitespace collapses as in HTML: runs are one
/// space, and spaces at the start, the end and around line breaks are dropped.
/// </summary>
internal sealed class PangoMarkupBuilder
{
    private readonly StringBuilder _markup = new();
    private readonly StringBuilder _plain = new();
    private bool _atLineStart = true;
    private bool _pendingSpace;

    internal static (string Markup, string Plain) Build(IReadOnlyList<InlineNode> inlines, TextStyle root, double size)
    {
        var builder = new PangoMarkupBuilder();
        var lineHeight = (root.LineHeight ?? 1.2) * size;
        // line_height above 1024 is absolute (1024ths of a point = pixels at 72 dpi): CSS-like line boxes.
        builder._markup.Append(CultureInfo.InvariantCulture, $"<span line_height=\"{Math.Max(1025, (int)Math.Round(lineHeight * 1024))}\"");
        AppendColor(builder._markup, "foreground", "fgalpha", root.Color ?? Rgba.Black);
        if (root.LetterSpacing is { } ls && ls != 0)
        {
            builder._markup.Append(CultureInfo.InvariantCulture, $" letter_spacing=\"{(int)Math.Round(ls * 1024)}\"");
        }
        builder._markup.Append('>');
        builder.AppendAll(inlines);
        builder._markup.Append("</span>");
        return (builder._markup.ToString(), builder._plain.ToString());
    }

    private void AppendAll(IReadOnlyList<InlineNode> inlines)
    {
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case InlineText t:
                    AppendText(t.Text);
                    break;
                case InlineBreak:
                    _pendingSpace = false;
                    _markup.Append('\n');
                    _plain.Append('\n');
                    _atLineStart = true;
                    break;
                case InlineSpan s:
                    OpenSpan(s);
                    AppendAll(s.Children);
                    _markup.Append("</span>");
                    break;
            }
        }
    }

    private void AppendText(string text)
    {
        foreach (var ch in text)
        {
            if (ch == ' ')
            {
                _pendingSpace = !_atLineStart;
                continue;
            }
            if (_pendingSpace)
            {
                _markup.Append(' ');
                _plain.Append(' ');
                _pendingSpace = false;
            }
            _atLineStart = false;
            _plain.Append(ch);
            switch (ch)
            {
                case '<': _markup.Append("&lt;"); break;
                case '>': _markup.Append("&gt;"); break;
                case '&': _markup.Append("&amp;"); break;
                case '"': _markup.Append("&quot;"); break;
                case '\'': _markup.Append("&apos;"); break;
                default:
                    if (ch < 0x20 && ch != '\t')
                    {
                        // Control characters would draw as hex boxes; they carry no meaning on a card.
                        continue;
                    }
                    _markup.Append(ch);
                    break;
            }
        }
    }

    private void OpenSpan(InlineSpan span)
    {
        var style = span.Style;
        _markup.Append("<span");
        if (style.FontFamily is { } family)
        {
            _markup.Append(" font_family=\"").Append(Escape(FontCatalog.PangoChain(family))).Append('"');
        }
        if (style.Size is { } size)
        {
            _markup.Append(CultureInfo.InvariantCulture, $" size=\"{(int)Math.Round(size * 1024)}\"");
        }
        if (style.Weight is { } weight)
        {
            _markup.Append(CultureInfo.InvariantCulture, $" weight=\"{weight}\"");
        }
        if (style.Italic is { } italic)
        {
            _markup.Append(italic ? " style=\"italic\"" : " style=\"normal\"");
        }
        if (style.Color is { } color)
        {
            AppendColor(_markup, "foreground", "fgalpha", color);
        }
        if (span.Background is { } bg)
        {
            AppendColor(_markup, "background", "bgalpha", bg);
        }
        if (style.LetterSpacing is { } ls)
        {
            _markup.Append(CultureInfo.InvariantCulture, $" letter_spacing=\"{(int)Math.Round(ls * 1024)}\"");
        }
        if (span.Underline)
        {
            _markup.Append(" underline=\"single\"");
        }
        if (span.Strikethrough)
        {
            _markup.Append(" strikethrough=\"true\"");
        }
        if (style.FontVariations is { } variations)
        {
            _markup.Append(" font_desc=\"@").Append(Escape(variations)).Append('"');
        }
        _markup.Append('>');
    }

    private static void AppendColor(StringBuilder sb, string colorName, string alphaName, Rgba color)
    {
        sb.Append(' ').Append(colorName).Append("=\"").Append(color.ToHex()).Append('"');
        // pango alpha runs 1..65535; 0 would mean "unset".
        var alpha = Math.Clamp((int)Math.Round(color.A * 65535), 1, 65535);
        sb.Append(CultureInfo.InvariantCulture, $" {alphaName}=\"{alpha}\"");
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
