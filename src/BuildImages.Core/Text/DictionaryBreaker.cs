using ICU4N.Text;

namespace BuildImages.Core.Text;

/// <summary>
/// Word boundaries inside runs of Thai, Lao, Khmer and Myanmar (line break class SA), which write no spaces between
/// words: UAX #14 leaves such a run whole and says a dictionary decides. The dictionaries are ICU's, through ICU4N's
/// word break iterator (its dictionary break engines pick the dictionary by the characters' script). Written by hand
/// this would be four word lists and a segmenter per script; ICU4N is the one managed .NET library with them.
/// Loaded on the first SA run a process meets (about 0.2 s of a cold start), so Latin-only builds never pay for it.
/// The dictionaries are data of the ICU4N package version: changing it may move line breaks, so it goes with a
/// bump of <see cref="Manifest.EngineStamp"/>'s render revision.
/// </summary>
internal static class DictionaryBreaker
{
    /// <summary>Iterators are not thread-safe and costly to make: one per thread, reused.</summary>
    [ThreadStatic]
    private static BreakIterator? t_words;

    /// <summary>
    /// The word boundaries strictly inside <paramref name="run"/> (code points of one SA run), as code point offsets
    /// from its start, ascending. Boundaries fall between grapheme clusters only.
    /// </summary>
    internal static List<int> Boundaries(ReadOnlySpan<int> run)
    {
        var found = new List<int>();
        if (run.Length < 2)
        {
            return found;
        }
        // The run as UTF-16, with the code point index of each UTF-16 offset: Thai, Lao, Khmer and Myanmar are in the
        // BMP, but Tai Ahom (class SA too) is not, and its surrogate pairs must not shift the offsets.
        var text = new System.Text.StringBuilder(run.Length);
        var codePointAt = new int[(run.Length * 2) + 1];
        Array.Fill(codePointAt, -1);
        for (var i = 0; i < run.Length; i++)
        {
            codePointAt[text.Length] = i;
            text.Append(char.ConvertFromUtf32(run[i]));
        }
        codePointAt[text.Length] = run.Length;
        var words = t_words ??= BreakIterator.GetWordInstance(System.Globalization.CultureInfo.InvariantCulture);
        words.SetText(text.ToString());
        for (var b = words.Next(); b != BreakIterator.Done && b < text.Length; b = words.Next())
        {
            // Never inside a surrogate pair (Tai Ahom, also class SA, is outside the BMP), never at the run's start.
            if (b > 0 && codePointAt[b] > 0)
            {
                found.Add(codePointAt[b]);
            }
        }
        return found;
    }
}
