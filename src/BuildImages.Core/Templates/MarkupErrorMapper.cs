using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Templates;

/// <summary>
/// Maps an error located in the rendered markup back to the template line it most likely came from:
/// the token at the error (an element or attribute name, or the text before it) is looked up in the
/// template and its partials, matching the same occurrence number where possible.
/// </summary>
internal static class MarkupErrorMapper
{
    internal static Diagnostic Map(Diagnostic diagnostic, string markup, CompiledTemplate template)
    {
        if (diagnostic.File is not null || diagnostic.Line <= 0)
        {
            return diagnostic with { File = diagnostic.File ?? template.Definition.MainFile };
        }
        var suffix = $" (card markup line {diagnostic.Line}, column {diagnostic.Column})";
        var offset = TemplateText.OffsetOf(markup, diagnostic.Line, diagnostic.Column);
        var needle = Needle(markup, offset);
        if (needle.Length > 0)
        {
            var occurrence = Count(markup[..Math.Min(markup.Length, offset + needle.Length)], needle) - 1;
            foreach (var pass in new[] { occurrence, 0 })
            {
                foreach (var (file, source) in template.Sources)
                {
                    var at = Nth(source, needle, pass);
                    if (at >= 0)
                    {
                        var (line, col) = TemplateText.LineColumn(source, at);
                        return diagnostic with { File = file, Line = line, Column = col, Message = diagnostic.Message + suffix };
                    }
                }
            }
        }
        return diagnostic with { File = template.Definition.MainFile, Line = 0, Column = 0, Message = diagnostic.Message + suffix };
    }

    /// <summary>The identifier at the offset with its markup context (&lt;name or name=), else the text just before.</summary>
    private static string Needle(string markup, int offset)
    {
        var end = offset;
        while (end < markup.Length && (char.IsLetterOrDigit(markup[end]) || markup[end] is '-' or '_' or ':'))
        {
            end++;
        }
        if (end > offset)
        {
            var word = markup[offset..end];
            if (offset > 0 && markup[offset - 1] == '<')
            {
                return "<" + word;
            }
            return end < markup.Length && markup[end] == '=' ? word + "=" : word;
        }
        var start = Math.Max(0, offset - 12);
        var lineStart = markup.LastIndexOf('\n', Math.Max(0, offset - 1));
        start = Math.Max(start, lineStart + 1);
        return markup[start..Math.Min(markup.Length, offset + 1)].Trim();
    }

    private static int Count(string text, string needle)
    {
        var n = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private static int Nth(string text, string needle, int n)
    {
        var i = text.IndexOf(needle, StringComparison.Ordinal);
        while (i >= 0 && n-- > 0)
        {
            i = text.IndexOf(needle, i + 1, StringComparison.Ordinal);
        }
        return i;
    }
}
