namespace BuildImages.Core.Text;

/// <summary>
/// Look-ups in the generated Unicode tables: each table is a sorted list of runs, a run's first code point shifted left
/// by <c>shift</c> bits with its value in those bits, so one binary search answers for any code point.
/// </summary>
internal static class UnicodeRuns
{
    /// <summary>The value of the last run starting at or before the code point (U+FFFD's for one out of range).</summary>
    internal static uint Find(uint[] runs, int codePoint, int shift)
    {
        if ((uint)codePoint > 0x10FFFF)
        {
            codePoint = 0xFFFD;
        }
        var mask = (1u << shift) - 1;
        var key = ((uint)codePoint << shift) | mask;
        int lo = 0, hi = runs.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (runs[mid] <= key)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return runs[lo] & mask;
    }
}
