namespace BuildImages.Core.Text;

/// <summary>
/// The longest text a text element sets: a hostile or mistaken multi-megabyte title must cost milliseconds, not
/// minutes of shaping and line breaking, and no card shows more than a few hundred characters anyway.
/// </summary>
internal static class TextCut
{
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
}
