using System.Globalization;
using System.Text;

namespace BuildImages.Core.Templates;

/// <summary>URL slugs: lower case, accents removed, non-alphanumerics to single dashes; non-Latin letters kept.</summary>
public static class Slug
{
    public static string Make(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        var dash = false;
        foreach (var ch in normalized)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(ch))
            {
                if (dash && sb.Length > 0)
                {
                    sb.Append('-');
                }
                dash = false;
                sb.Append(char.ToLowerInvariant(ch));
            }
            else
            {
                dash = true;
            }
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
