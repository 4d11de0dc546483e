using System.Globalization;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// What an output path may be: relative, inside the output folder, every segment a portable file name
/// (no '.', '..', reserved Windows device names, trailing dots or spaces, or unsafe characters).
/// </summary>
internal static class OutputPathRules
{
    private static readonly HashSet<string> Reserved = new(
        ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", .. new[] { "COM", "LPT" }.SelectMany(p => "0123456789¹²³".Select(d => p + d))],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Characters that draw nothing or reorder what follows (bidi controls such as U+202E, zero-width spaces and
    /// joiners, line separators): in a file name they disguise it ("gnp.exe" shown as "exe.png").
    /// </summary>
    internal static bool IsInvisible(char ch) =>
        CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>
    /// Returns the path with '/' separators in Unicode NFC (so "café" typed either way is one file, on Linux as on
    /// macOS, and two items that differ only so collide), or the reason it is unsafe.
    /// </summary>
    public static (string? Path, string? Problem) Check(string path)
    {
        // Half of a character (a template's string function can cut a pair in two): no file system stores it as a
        // name portably, and normalizing it throws.
        if (LoneSurrogateLocator.In(path))
        {
            return (null, $"'{Diagnostics.Printable.Of(path)}' has half of a character (a lone UTF-16 surrogate, as cutting text in the middle of an emoji leaves), which cannot be a file name");
        }
        if (!path.IsNormalized(NormalizationForm.FormC))
        {
            path = path.Normalize(NormalizationForm.FormC);
        }
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length > 1 && normalized[1] == ':'))
        {
            return (null, $"'{path}' is absolute; outputs must stay inside outputDir");
        }
        var segments = normalized.Split('/', StringSplitOptions.TrimEntries);
        if (segments.Any(string.IsNullOrEmpty))
        {
            // 'og/{{slug}}' with no slug would otherwise write og.webp beside every other job's folder.
            return (null, $"the output pattern gave '{path}', which has an empty name (is a field it uses missing or empty?)");
        }
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
            {
                return (null, $"'{path}' has a '{segment}' segment; outputs must stay inside outputDir");
            }
            var stem = segment.Split('.')[0].TrimEnd();
            if (Reserved.Contains(stem))
            {
                return (null, $"'{path}' uses the reserved device name '{stem}'");
            }
            if (segment.EndsWith('.'))
            {
                return (null, $"'{path}' has a segment ending in '.', which Windows cannot store");
            }
            if (segment.Any(c => char.IsControl(c) || c is ':' or '*' or '?' or '"' or '<' or '>' or '|'))
            {
                return (null, $"'{Diagnostics.Printable.Of(path)}' has a character that is not allowed in file names");
            }
            if (segment.FirstOrDefault(IsInvisible) is var invisible and not '\0')
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"'{Diagnostics.Printable.Of(path)}' has an invisible character (U+{(int)invisible:X4}) that would disguise the file name"));
            }
            if (Encoding.UTF8.GetByteCount(segment) > 200)
            {
                return (null, $"'{segment[..40]}…' is longer than 200 bytes");
            }
        }
        return (string.Join('/', segments), null);
    }
}
