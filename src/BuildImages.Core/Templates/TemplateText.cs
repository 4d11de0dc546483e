namespace BuildImages.Core.Templates;

/// <summary>Offsets to line and column, and finding where a token sits in template sources.</summary>
internal static class TemplateText
{
    internal static (int Line, int Column) LineColumn(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }

    internal static int OffsetOf(string text, int line, int column)
    {
        var current = 1;
        var i = 0;
        while (current < line && i < text.Length)
        {
            if (text[i++] == '\n')
            {
                current++;
            }
        }
        return Math.Min(text.Length, i + Math.Max(0, column - 1));
    }
}
