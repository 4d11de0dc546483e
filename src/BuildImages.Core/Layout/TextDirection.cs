using BuildImages.Core.Markup;

namespace BuildImages.Core.Layout;

/// <summary>
/// The direction text starts in, from its first strong character (as the Unicode bidi algorithm's paragraph
/// level and HTML's dir="auto" decide): Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms are
/// right to left; other letters left to right; digits, punctuation and spaces do not decide.
/// </summary>
internal static class TextDirection
{
    /// <summary>The direction of the first text in a box (document order), left to right when it has none.</summary>
    internal static WritingDirection Of(CardNode node) => node switch
    {
        TextNode t => First(t.Inlines) ?? WritingDirection.Ltr,
        ContainerNode c => c.Children.Select(Decided).FirstOrDefault(d => d is not null) ?? WritingDirection.Ltr,
        _ => WritingDirection.Ltr,
    };

    /// <summary>"rtl" or "ltr" for a string: what a template's <c>text_direction</c> helper gives.</summary>
    public static string Of(string? text) => Strong(text) == WritingDirection.Rtl ? "rtl" : "ltr";

    private static WritingDirection? Decided(CardNode node) => node switch
    {
        TextNode t => First(t.Inlines),
        ContainerNode c => c.Children.Select(Decided).FirstOrDefault(d => d is not null),
        _ => null,
    };

    private static WritingDirection? First(IEnumerable<InlineNode> inlines)
    {
        foreach (var inline in inlines)
        {
            var found = inline switch
            {
                InlineText t => Strong(t.Text),
                InlineSpan s => First(s.Children),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }
        return null;
    }

    private static WritingDirection? Strong(string? text)
    {
        foreach (var rune in (text ?? string.Empty).EnumerateRunes())
        {
            var v = rune.Value;
            if (v is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF))
            {
                if (System.Text.Rune.IsLetter(rune))
                {
                    return WritingDirection.Rtl;
                }
                continue;
            }
            if (System.Text.Rune.IsLetter(rune))
            {
                return WritingDirection.Ltr;
            }
        }
        return null;
    }
}
