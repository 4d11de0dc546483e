using System.Globalization;
using System.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// Grapheme clusters (what ellipsis, line clamp and font fallback must never split) come from .NET's
/// <see cref="StringInfo"/>, not from code of our own: this holds it to Unicode's GraphemeBreakTest.txt (15.0,
/// tests/Unicode), so a runtime whose segmentation drifted would be seen here first.
/// </summary>
public sealed class GraphemeConformanceTests
{
    [Fact]
    public void DotNetSegmentsEveryCaseOfGraphemeBreakTestAsUnicodeSays()
    {
        var cases = 0;
        var failures = new List<string>();
        foreach (var line in UnicodeTestFile.DataLines("GraphemeBreakTest.txt"))
        {
            var (codePoints, breaks) = UnicodeTestFile.BreakCase(line);
            var text = new StringBuilder();
            var expected = new List<int>();
            for (var i = 0; i < breaks.Length; i++)
            {
                if (breaks[i])
                {
                    expected.Add(text.Length);
                }
                if (i < codePoints.Length)
                {
                    text.Append(char.ConvertFromUtf32(codePoints[i]));
                }
            }
            cases++;
            var s = text.ToString();
            var got = new List<int> { 0 };
            for (var i = 0; i < s.Length;)
            {
                i += StringInfo.GetNextTextElementLength(s, i);
                got.Add(i);
            }
            if (!got.SequenceEqual(expected))
            {
                failures.Add(line);
            }
        }
        Assert.True(cases > 600, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ, e.g.:\n{string.Join('\n', failures.Take(10))}");
    }
}
