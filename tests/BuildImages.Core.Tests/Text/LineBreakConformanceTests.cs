using BuildImages.Core.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>Line breaking against Unicode's LineBreakTest.txt (tests/Unicode, from Debian's unicode-data 15.0.0, gzipped).</summary>
public sealed class LineBreakConformanceTests
{
    [Fact]
    public void EveryCaseOfLineBreakTestBreaksWhereUnicodeSays()
    {
        var cases = 0;
        var failures = new List<string>();
        foreach (var line in UnicodeTestFile.DataLines("LineBreakTest.txt"))
        {
            var (codePoints, expected) = UnicodeTestFile.BreakCase(line);
            cases++;
            // The file marks a break ÷ whether it is allowed or mandatory; the end of the text is always one.
            // Unicode's tests assume SA runs are not broken by a dictionary (they resolve SA to AL).
            var got = LineBreaker.Opportunities(codePoints, dictionary: false).Select(k => k != LineBreakKind.None).ToArray();
            if (!got.SequenceEqual(expected))
            {
                failures.Add($"{line}\n   got {string.Join(' ', got.Select(b => b ? "÷" : "×"))}");
            }
        }
        Assert.True(cases > 7_000, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases fail, e.g.:\n{string.Join('\n', failures.Take(12))}");
    }

    [Fact]
    public void HardBreaksAreMandatorySpacesAllowAndAComplexScriptRunIsLeftWhole()
    {
        static LineBreakKind[] Of(string s) => LineBreaker.Opportunities([.. s.EnumerateRunes().Select(r => r.Value)]);

        Assert.Equal([LineBreakKind.None], Of(""));
        Assert.Equal([LineBreakKind.None, LineBreakKind.None, LineBreakKind.Mandatory, LineBreakKind.None, LineBreakKind.Mandatory], Of("a\nbc"));
        Assert.Equal([LineBreakKind.None, LineBreakKind.None, LineBreakKind.Allowed, LineBreakKind.Mandatory], Of("a b"));
        // CR LF is one hard break, after the LF.
        Assert.Equal([LineBreakKind.None, LineBreakKind.None, LineBreakKind.None, LineBreakKind.Mandatory, LineBreakKind.Mandatory], Of("a\r\nb"));
        // Thai (class SA) has no spaces between words: UAX #14 alone keeps the run whole; a dictionary splits it.
        var thai = LineBreaker.Opportunities([.. "สวัสดีครับ".EnumerateRunes().Select(r => r.Value)], dictionary: false);
        Assert.All(thai[1..^1], k => Assert.Equal(LineBreakKind.None, k));
        // Ideographs break between each other; a closing bracket and kinsoku characters stay with what they follow.
        Assert.Equal(LineBreakKind.Allowed, Of("漢字")[1]);
        Assert.Equal(LineBreakKind.None, Of("漢」")[1]);
        Assert.Equal(LineBreakKind.None, Of("漢ー")[1]);
        // A flag is two regional indicators: never split, but two flags may part.
        var flags = Of("🇫🇷🇩🇪");
        Assert.Equal([LineBreakKind.None, LineBreakKind.None, LineBreakKind.Allowed, LineBreakKind.None, LineBreakKind.Mandatory], flags);
    }

    [Fact]
    public void LongRunsOfDigitsMarksFlagsAndSpacesAreBrokenInOnePass()
    {
        // 100,000 of each: a rule that walked back over its run at every boundary would take minutes here.
        const int Run = 100_000;
        int[] text = [.. Enumerable.Repeat((int)'7', Run), ',', .. Enumerable.Repeat((int)'1', Run), '%', ' ',
            'a', .. Enumerable.Repeat(0x0301, Run), ' ', .. Enumerable.Repeat(0x1F1EB, Run), ' ', .. Enumerable.Repeat((int)' ', Run), 'b'];
        var breaks = LineBreaker.Opportunities(text);
        var digits = (2 * Run) + 2;
        // The number and its percent sign hold together; the space after it is a break opportunity.
        Assert.All(breaks[1..digits], k => Assert.Equal(LineBreakKind.None, k));
        Assert.Equal(LineBreakKind.Allowed, breaks[digits + 1]);
        // The marks stay on their letter.
        Assert.All(breaks[(digits + 2)..(digits + 2 + Run)], k => Assert.Equal(LineBreakKind.None, k));
        // Regional indicators pair up: a break between every two.
        var flags = digits + 3 + Run;
        for (var i = 1; i < Run; i++)
        {
            Assert.Equal(i % 2 == 0 ? LineBreakKind.Allowed : LineBreakKind.None, breaks[flags + i]);
        }
        Assert.Equal(LineBreakKind.Allowed, breaks[^2]);
    }

    [Fact]
    public void KeepAllBreaksKoreanOnlyBetweenWords()
    {
        var text = "생성하여 만든 카드, 2024년".EnumerateRunes().Select(r => r.Value).ToArray();
        int[] Allowed(bool keepAll) => [.. LineBreaker.Opportunities(text, keepAll).Select((k, i) => (k, i)).Where(b => b.k == LineBreakKind.Allowed).Select(b => b.i)];

        // Without it, every syllable is a break opportunity (생|성|하|여).
        Assert.Contains(1, Allowed(keepAll: false));
        Assert.Contains(2, Allowed(keepAll: false));
        // With it, only after the spaces: 생성하여 / 만든 / 카드, / 2024년.
        Assert.Equal([5, 8, 12], Allowed(keepAll: true));
    }
}
