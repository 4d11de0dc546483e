namespace BuildImages.Core.Text;

/// <summary>
/// The Unicode character data line breaking reads: each code point's Line_Break class and the properties its rules
/// look at beside it, from tables generated out of the Unicode Character Database (<c>build/write-linebreak-data.py</c>).
/// </summary>
internal static partial class LineBreakData
{
    internal static LineBreakClass ClassOf(int codePoint) => (LineBreakClass)UnicodeRuns.Find(ClassRuns, codePoint, 6);

    /// <summary>East Asian width F, W or H (LB30 leaves such brackets breakable).</summary>
    internal static bool IsEastAsian(int codePoint) => (UnicodeRuns.Find(FlagRuns, codePoint, 4) & 1) != 0;

    /// <summary>Extended_Pictographic and not yet assigned (LB30b keeps a future emoji with its modifier).</summary>
    internal static bool IsUnassignedPictographic(int codePoint) => (UnicodeRuns.Find(FlagRuns, codePoint, 4) & 6) == 6;

    /// <summary>General_Category Mn or Mc (LB1 makes such SA characters CM).</summary>
    internal static bool IsCombiningMark(int codePoint) => (UnicodeRuns.Find(FlagRuns, codePoint, 4) & 8) != 0;
}
