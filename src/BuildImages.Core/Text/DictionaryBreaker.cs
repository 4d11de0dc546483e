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
        var text = new char[run.Length * 2];
        var codePointAt = new int[text.Length + 1];
        var length = 0;
        for (var i = 0; i < run.Length; i++)
        {
            codePointAt[length] = i;
            length += new System.Text.Rune(run[i]).EncodeToUtf16(text.AsSpan(length));
        }
        var words = t_words ??= BreakIterator.GetWordInstance(System.Globalization.CultureInfo.InvariantCulture);
        words.SetText(new string(text, 0, length));
        for (var b = words.Next(); b != BreakIterator.Done && b < length; b = words.Next())
        {
            // ICU breaks between code points only; the start of the run is the rules' to decide.
            if (b > 0 && !char.IsLowSurrogate(text[b]))
            {
                found.Add(codePointAt[b]);
            }
        }
        return found;
    }
}
