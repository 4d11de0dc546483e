using System.Globalization;
using System.Text;

namespace BuildImages.Core.Diagnostics;

/// <summary>
/// Text from data (a slug, a title) as it may be printed: control, invisible and bidi characters are shown as
/// escapes, so a NUL never reaches a terminal or log, a newline never splits one error over two lines, and
/// U+202E never reverses what follows it.
/// </summary>
public static class Printable
{
    public static string Of(string text)
    {
        var i = 0;
        while (i < text.Length && !Escaped(text[i]))
        {
            i++;
        }
        if (i == text.Length)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            _ = ch switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when Escaped(ch) => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"),
                _ => sb.Append(ch),
            };
        }
        return sb.ToString();
    }

    private static bool Escaped(char ch) =>
        char.IsControl(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
