using System.Collections.Frozen;

namespace BuildImages.Core.Text;

/// <summary>
/// The Unicode character data the bidirectional algorithm reads: each code point's Bidi_Class and the paired
/// brackets, from tables generated out of the Unicode Character Database (<c>build/write-bidi-data.py</c>), so the
/// answer is the same on every machine whatever ICU or .NET it has.
/// </summary>
internal static partial class BidiData
{
    /// <summary>A code point's Bidi_Class (unassigned ones take the class Unicode gives their block).</summary>
    internal static BidiClass ClassOf(int codePoint) => (BidiClass)UnicodeRuns.Find(ClassRuns, codePoint, 5);

    /// <summary>
    /// A paired bracket as the bracket-pair rule (BD16) sees it: the opening bracket's code point (its canonical
    /// equivalent's, so U+2329 pairs with U+3009), positive for an opening bracket and negative for a closing one; 0 when
    /// the code point is not a paired bracket.
    /// </summary>
    internal static int BracketOf(int codePoint) => BracketMap.Value.GetValueOrDefault(codePoint);

    private static FrozenDictionary<int, int> MakeBrackets()
    {
        var map = new Dictionary<int, int>();
        for (var i = 0; i < BracketPairs.Length; i += 2)
        {
            map[BracketPairs[i]] = BracketPairs[i];
            map[BracketPairs[i + 1]] = -BracketPairs[i];
        }
        for (var i = 0; i < BracketEquivalents.Length; i += 2)
        {
            map[BracketEquivalents[i]] = map[BracketEquivalents[i + 1]];
        }
        return map.ToFrozenDictionary();
    }

    /// <summary>Made on first use: the tables are in another part of this class, whose fields may be set after this file's.</summary>
    private static class BracketMap
    {
        internal static readonly FrozenDictionary<int, int> Value = MakeBrackets();
    }
}
