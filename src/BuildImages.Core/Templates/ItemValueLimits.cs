using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Templates;

/// <summary>
/// Item values measured before templating, each kind with its own limit and message (a 6 MB data: image or a
/// 5 MB title used to fail as "template output passed 2,000,000 characters; is a loop running away?"):
/// <list type="bullet">
/// <item>a data: URI longer than <see cref="MaxDataUriCharacters"/> fails the item naming the field; a shorter one
/// that is large reaches the template as a short reference (<c>bi-inline:…</c>, named by its content hash) that
/// an &lt;image src&gt; resolves, so the markup stays small and the template output limit stays a loop guard;</item>
/// <item>other text is cut at <see cref="MaxTextCharacters"/> between grapheme clusters (no card shows more:
/// a text element draws at most 10,000), not refused.</item>
/// </list>
/// </summary>
internal static class ItemValueLimits
{
    internal const int MaxTextCharacters = 100_000;
    internal const int MaxDataUriCharacters = 16 * 1024 * 1024;
    internal const string InlinePrefix = "bi-inline:";

    /// <summary>data: URIs up to this length go through the template as they are.</summary>
    private const int InlineFrom = 8 * 1024;

    /// <summary>
    /// The fields with over-long text cut, done when an item is planned (the key then hashes what the card can
    /// show, and a 100 MB title never reaches the canonical writer, which refuses values over 166 MB); and the
    /// first data: URI over its limit, as an error message naming the field, or null.
    /// </summary>
    internal static (IReadOnlyDictionary<string, object?> Fields, string? Problem) Measure(IReadOnlyDictionary<string, object?> fields)
    {
        string? problem = null;
        var cut = (IReadOnlyDictionary<string, object?>)Visit(fields, string.Empty, (text, path) =>
        {
            if (!IsDataUri(text))
            {
                return Text.TextCut.Cut(text, MaxTextCharacters);
            }
            problem ??= text.Length > MaxDataUriCharacters ? TooLarge(text, path) : null;
            return text;
        })!;
        return (cut, problem);
    }

    /// <summary>The fields as the template sees them (the same object when nothing needed a change); large data: URIs are put in <paramref name="inline"/>.</summary>
    internal static IReadOnlyDictionary<string, object?> Apply(IReadOnlyDictionary<string, object?> fields, Dictionary<string, string> inline) =>
        (IReadOnlyDictionary<string, object?>)Visit(fields, string.Empty, (text, path) =>
        {
            if (!IsDataUri(text))
            {
                return Text.TextCut.Cut(text, MaxTextCharacters);
            }
            if (text.Length > MaxDataUriCharacters)
            {
                throw BuildInputException.Error(DiagnosticCodes.FieldTooLarge, TooLarge(text, path));
            }
            // Named by content, so equal images give equal markup (de-duplication) and different ones never do.
            var reference = InlinePrefix + BuildImages.Core.Primitives.ContentHash.OfText(text)[..32];
            inline[reference] = text;
            return reference;
        })!;

    private static bool IsDataUri(string text) => text.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    private static string TooLarge(string text, string path) => string.Create(CultureInfo.InvariantCulture,
        $"field '{path}' holds a data: URI of {text.Length / 1048576.0:0.0} MB; the limit is {MaxDataUriCharacters / 1048576} MB (put the image in a file under an asset root)");

    /// <summary>Rebuilds only the maps and lists on the way to a string <paramref name="limit"/> changed; strings up to <see cref="InlineFrom"/> are never looked at.</summary>
    private static object? Visit(object? value, string path, Func<string, string, string> limit)
    {
        switch (value)
        {
            case string text:
                return text.Length <= InlineFrom ? text : limit(text, path);
            case IReadOnlyDictionary<string, object?> map:
                Dictionary<string, object?>? changed = null;
                foreach (var (key, item) in map)
                {
                    var limited = Visit(item, path.Length == 0 ? key : $"{path}.{key}", limit);
                    if (!ReferenceEquals(limited, item))
                    {
                        changed ??= new Dictionary<string, object?>(map, StringComparer.Ordinal);
                        changed[key] = limited;
                    }
                }
                return changed ?? value;
            case IReadOnlyList<object?> list:
                List<object?>? copy = null;
                for (var i = 0; i < list.Count; i++)
                {
                    var limited = Visit(list[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), limit);
                    if (!ReferenceEquals(limited, list[i]))
                    {
                        copy ??= [.. list];
                        copy[i] = limited;
                    }
                }
                return copy ?? value;
            default:
                return value;
        }
    }
}
