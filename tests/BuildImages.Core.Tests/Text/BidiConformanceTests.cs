using System.Globalization;
using BuildImages.Core.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// The bidirectional algorithm against Unicode's own conformance files (tests/Unicode, from Debian's unicode-data
/// 15.0.0, gzipped; Unicode's terms allow their redistribution): every case of BidiTest.txt (by class, each paragraph
/// direction its bitset names) and of BidiCharacterTest.txt (by code point, with brackets), levels and visual order.
/// </summary>
public sealed class BidiConformanceTests
{
    [Fact]
    public void EveryCaseOfBidiTestResolvesToItsLevelsAndOrder()
    {
        string[] levels = [];
        string[] order = [];
        var cases = 0;
        var failures = new List<string>();
        foreach (var line in UnicodeTestFile.DataLines("BidiTest.txt"))
        {
            if (line.StartsWith("@Levels:", StringComparison.Ordinal))
            {
                levels = line["@Levels:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                continue;
            }
            if (line.StartsWith("@Reorder:", StringComparison.Ordinal))
            {
                order = line["@Reorder:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                continue;
            }
            var parts = line.Split(';');
            var classes = parts[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<BidiClass>).ToArray();
            var bits = int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture);
            foreach (var (bit, direction) in new[] { (1, (int?)null), (2, 0), (4, 1) })
            {
                if ((bits & bit) == 0)
                {
                    continue;
                }
                cases++;
                var paragraph = new BidiParagraph(classes, [], direction);
                var got = paragraph.LineLevels(0, classes.Length);
                var gotLevels = got.Select(l => l == BidiParagraph.Removed ? "x" : l.ToString(CultureInfo.InvariantCulture)).ToArray();
                var gotOrder = BidiParagraph.VisualOrder(got).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
                if (!gotLevels.SequenceEqual(levels) || !gotOrder.SequenceEqual(order))
                {
                    failures.Add($"{parts[0].Trim()} (direction {direction?.ToString(CultureInfo.InvariantCulture) ?? "auto"}): levels {string.Join(' ', gotLevels)} expected {string.Join(' ', levels)}; order {string.Join(' ', gotOrder)} expected {string.Join(' ', order)}");
                }
            }
        }
        Assert.True(cases > 490_000, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases fail, e.g.:\n{string.Join('\n', failures.Take(15))}");
    }

    [Fact]
    public void EveryCaseOfBidiCharacterTestResolvesToItsParagraphLevelLevelsAndOrder()
    {
        var cases = 0;
        var failures = new List<string>();
        foreach (var line in UnicodeTestFile.DataLines("BidiCharacterTest.txt"))
        {
            var f = line.Split(';');
            var codePoints = f[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            int? direction = f[1] switch { "0" => 0, "1" => 1, _ => null };
            var expectedParagraph = int.Parse(f[2], CultureInfo.InvariantCulture);
            var levels = f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var order = f[4].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            cases++;
            var paragraph = BidiParagraph.Of(codePoints, direction);
            var got = paragraph.LineLevels(0, codePoints.Length);
            var gotLevels = got.Select(l => l == BidiParagraph.Removed ? "x" : l.ToString(CultureInfo.InvariantCulture)).ToArray();
            var gotOrder = BidiParagraph.VisualOrder(got).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            if (paragraph.ParagraphLevel != expectedParagraph || !gotLevels.SequenceEqual(levels) || !gotOrder.SequenceEqual(order))
            {
                failures.Add($"{f[0]} ({f[1]}): paragraph {paragraph.ParagraphLevel} expected {expectedParagraph}; levels {string.Join(' ', gotLevels)} expected {f[3]}; order {string.Join(' ', gotOrder)} expected {f[4]}");
            }
        }
        Assert.True(cases > 90_000, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases fail, e.g.:\n{string.Join('\n', failures.Take(15))}");
    }

    [Fact]
    public void HostileInputIsResolvedWithoutFailing()
    {
        // 300 nested embeddings and isolates (past the depth of 125), 100 unmatched brackets (past BD16's 63), stray
        // closers, a separator inside: levels stay within 126, nothing throws, every character is placed once.
        int[] text = [.. Enumerable.Repeat(0x202B, 150), .. Enumerable.Repeat(0x2067, 150), .. Enumerable.Repeat((int)'(', 100), 0x05D0, ')', ']', 0x2069, 0x202C, 0x2029, 'a', 0x2069];
        var paragraph = BidiParagraph.Of(text, null);
        var levels = paragraph.LineLevels(0, text.Length);
        Assert.All(levels, l => Assert.InRange(l, BidiParagraph.Removed, 126));
        var order = BidiParagraph.VisualOrder(levels);
        Assert.Equal(levels.Count(l => l != BidiParagraph.Removed), order.Length);
        Assert.Equal(order.Length, order.Distinct().Count());
        Assert.Equal(0, BidiParagraph.Of([], null).ParagraphLevel);
        Assert.Empty(BidiParagraph.VisualOrder([]));
    }

    [Fact]
    public void LongHostileParagraphsResolveInOnePass()
    {
        // 50,000 each of bracket pairs around Hebrew, terminators, marks and unmatched isolates, in a right-to-left paragraph.
        const int Run = 50_000;
        int[] text = [.. Enumerable.Range(0, Run).SelectMany(_ => new[] { (int)'(', 0x05D0, ')' }), .. Enumerable.Repeat((int)'$', Run), '1',
            'a', .. Enumerable.Repeat(0x0301, Run), .. Enumerable.Repeat(0x2068, Run), 'b'];
        var paragraph = BidiParagraph.Of(text, 1);
        var levels = paragraph.LineLevels(0, text.Length);
        // Brackets around R in an R paragraph stay at 1 with their contents; the number and its terminators go to 2.
        Assert.All(levels[..(3 * Run)], l => Assert.Equal(1, l));
        Assert.All(levels[(3 * Run)..((4 * Run) + 1)], l => Assert.Equal(2, l));
        // The Latin letter and its marks are 2; the letter inside the unmatched isolates is deeper still.
        Assert.All(levels[((4 * Run) + 1)..((5 * Run) + 2)], l => Assert.Equal(2, l));
        Assert.True(levels[^1] > 2);
        Assert.Equal(text.Length, BidiParagraph.VisualOrder(levels).Length);
    }

    [Fact]
    public void ClassesAndBracketsComeFromTheUnicodeTables()
    {
        Assert.Equal("15.0.0", BidiData.UnicodeVersion);
        Assert.Equal(BidiClass.L, BidiData.ClassOf('a'));
        Assert.Equal(BidiClass.R, BidiData.ClassOf(0x05D0));
        Assert.Equal(BidiClass.AL, BidiData.ClassOf(0x0627));
        Assert.Equal(BidiClass.AN, BidiData.ClassOf(0x0661));
        Assert.Equal(BidiClass.EN, BidiData.ClassOf('7'));
        Assert.Equal(BidiClass.NSM, BidiData.ClassOf(0x064B));
        Assert.Equal(BidiClass.RLI, BidiData.ClassOf(0x2067));
        // Unassigned code points take their block's default: Hebrew's is R, elsewhere L.
        Assert.Equal(BidiClass.R, BidiData.ClassOf(0x05FF));
        Assert.Equal(BidiClass.L, BidiData.ClassOf(0x10FFFF - 2));
        Assert.Equal(BidiClass.BN, BidiData.ClassOf(0xFFFF));
        Assert.Equal('(', BidiData.BracketOf('('));
        Assert.Equal(-'(', BidiData.BracketOf(')'));
        Assert.Equal(0x3008, BidiData.BracketOf(0x2329));
        Assert.Equal(-0x3008, BidiData.BracketOf(0x3009));
        Assert.Equal(0, BidiData.BracketOf('a'));
    }
}
