using System.Globalization;
using System.IO.Compression;

namespace BuildImages.Core.Tests.Text;

/// <summary>Unicode's conformance files as tests/Unicode holds them (gzipped): their data lines, and the break-test format.</summary>
internal static class UnicodeTestFile
{
    /// <summary>Each line with its comment cut off and trimmed, blank ones skipped.</summary>
    internal static IEnumerable<string> DataLines(string name)
    {
        using var file = File.OpenRead(Path.Combine(TestCards.RepoRoot, "tests", "Unicode", name + ".gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        while (reader.ReadLine() is { } raw)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>A line of LineBreakTest.txt or GraphemeBreakTest.txt: its code points, and whether each boundary (before each one, and at the end) is a break ÷ or not ×.</summary>
    internal static (int[] CodePoints, bool[] Breaks) BreakCase(string line)
    {
        var codePoints = new List<int>();
        var breaks = new List<bool>();
        foreach (var token in line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token is "×" or "÷")
            {
                breaks.Add(token == "÷");
            }
            else
            {
                codePoints.Add(int.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ([.. codePoints], [.. breaks]);
    }
}
