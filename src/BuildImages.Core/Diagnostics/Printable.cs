using System.Globalization;
using System.Text;

namespace BuildImages.Core.Diagnostics;

/// <summary>
/// Text from data (a slug, a title) as it may be printed: control, invisible and bidi characters are shown as
/// escapes, so a NUL never reaches a terminal or log, a newline never splits one error over two lines, and
/// U+202E never reverses what follows it. A lone UTF-16 surrogate (a template's string functions can cut a pair in two)
/// is an escape too: written out as text it becomes U+FFFD or an encoder's exception, and the message would not say
/// which character the value holds. A pair is kept as it is.
/// </summary>
public static class Printable
{
    public static string Of(string text)
    {
        var i = 0;
        while (i < text.Length && !EscapedAt(text, i))
        {
            i += PairAt(text, i) ? 2 : 1;
        }
        if (i == text.Length)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (PairAt(text, i))
            {
                sb.Append(ch).Append(text[++i]);
                continue;
            }
            _ = ch switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when EscapedAt(text, i) => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"),
                _ => sb.Append(ch),
            };
        }
        return sb.ToString();
    }

    /// <summary>Whether the character at <paramref name="i"/> is printed as an escape (a surrogate there is not the first of a pair).</summary>
    private static bool EscapedAt(string text, int i)
    {
        var ch = text[i];
        return char.IsSurrogate(ch) ? !PairAt(text, i)
            : char.IsControl(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>A high surrogate followed by a low one: one character, printed as it is.</summary>
    private static bool PairAt(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
}
