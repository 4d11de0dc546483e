using System.Globalization;
using System.IO.Compression;
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
        using var file = File.OpenRead(Path.Combine(TestCards.RepoRoot, "tests", "Unicode", "GraphemeBreakTest.txt.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var cases = 0;
        var failures = new List<string>();
        while (reader.ReadLine() is { } raw)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var text = new StringBuilder();
            var expected = new List<int>();
            foreach (var token in line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token == "÷")
                {
                    expected.Add(text.Length);
                }
                else if (token != "×")
                {
                    text.Append(char.ConvertFromUtf32(int.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
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
                failures.Add(raw);
            }
        }
        Assert.True(cases > 600, $"only {cases} cases read");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ, e.g.:\n{string.Join('\n', failures.Take(10))}");
    }
}
