namespace BuildImages.Core.Templates;

/// <summary>A line and column in a text to its offset (a markup error's place in the markup).</summary>
internal static class TemplateText
{
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
