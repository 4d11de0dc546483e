using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// The font reader against two independent readers of the same files: fontconfig (fc-scan, which the engine still
/// uses today) for names, weight, width and slant of every font on this machine and in the repository, and HarfBuzz
/// (the shaper the engine moves to) for coverage, code point by code point.
/// </summary>
public sealed class FontFileReaderTests
{
    private static readonly string RepositoryFonts = Path.Combine(TestCards.RepoRoot, "tests", "Fonts");

    private static IEnumerable<string> FontFiles() =>
        new[] { "/usr/share/fonts", RepositoryFonts }.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".ttf" or ".otf" or ".ttc" or ".otc" or ".woff" or ".woff2")
            .Order(StringComparer.Ordinal);

    [Fact]
    public void EveryFontReadsAsFontconfigReadsIt()
    {
        var expected = FontconfigScan();
        Assert.True(expected.Count >= 20, $"fc-scan listed only {expected.Count} faces");
        var checkedFaces = 0;
        foreach (var file in FontFiles())
        {
            foreach (var face in FontFileReader.Read(file))
            {
                if (!expected.TryGetValue((file, face.Index), out var fc))
                {
                    continue;
                }
                checkedFaces++;
                Assert.True(fc.Families.Contains(face.Family), $"{file}#{face.Index}: family '{face.Family}', fontconfig says {string.Join(" | ", fc.Families)}");
                Assert.True(fc.Families[0] == face.Family, $"{file}#{face.Index}: family '{face.Family}' first, fontconfig puts '{fc.Families[0]}' first");
                Assert.True(Math.Abs(FontconfigWeight(face.Weight) - fc.Weight) < 0.6, $"{file}#{face.Index}: weight {face.Weight} is fontconfig {FontconfigWeight(face.Weight)}, fontconfig says {fc.Weight}");
                Assert.True(fc.Slant == face.Slant switch { FontSlant.Italic => 100, FontSlant.Oblique => 110, _ => 0 }, $"{file}#{face.Index}: slant {face.Slant}, fontconfig says {fc.Slant}");
                Assert.True(Math.Abs(FontconfigWidth(face.Width) - fc.Width) < 1, $"{file}#{face.Index}: width class {face.Width}, fontconfig says {fc.Width}");
            }
        }
        Assert.True(checkedFaces >= 20 && checkedFaces >= expected.Count * 9 / 10, $"checked {checkedFaces} of fontconfig's {expected.Count} faces");
    }

    [Fact]
    public void CoverageIsWhatHarfBuzzFinds()
    {
        var faces = 0;
        foreach (var file in FontFiles())
        {
            if (Path.GetExtension(file) is ".woff" or ".woff2")
            {
                continue; // HarfBuzz does not read WOFF containers.
            }
            using var blob = HarfBuzzSharp.Blob.FromFile(file);
            foreach (var face in FontFileReader.Read(file))
            {
                using var hbFace = new HarfBuzzSharp.Face(blob, face.Index);
                using var font = new HarfBuzzSharp.Font(hbFace);
                CheckCoverage(face, font, file);
                faces++;
            }
        }
        Assert.True(faces >= 20, $"only {faces} faces checked");
    }

    [Theory]
    [InlineData("woff/pacifico-latin-400-normal.woff", "Pacifico", 400)]
    [InlineData("woff2/pacifico-latin-400-normal.woff2", "Pacifico", 400)]
    [InlineData("variable/recursive-latin-wght-normal.woff2", "Recursive Sans Linear Light", 300)]
    public void WebFontsReadLikeTheFontsTheyPack(string file, string family, int weight)
    {
        var face = Assert.Single(FontFileReader.Read(Path.Combine(RepositoryFonts, file)));

        Assert.Equal(family, face.Family);
        Assert.Equal(weight, face.Weight);
        Assert.True(face.Coverage.Contains('A') && face.Coverage.Contains('z') && !face.Coverage.Contains(0x0E01), "Latin, not Thai");
    }

    [Fact]
    public void AVariableFontNamesItsAxesAndAColourFontItsFormat()
    {
        var variable = Assert.Single(FontFileReader.Read(Path.Combine(RepositoryFonts, "variable", "recursive-latin-wght-normal.woff2")));
        var wght = Assert.Single(variable.Axes, a => a.Tag == "wght");
        Assert.Equal((300, 1000), ((int)wght.Min, (int)wght.Max));
        Assert.Equal((300, 1000), variable.WeightRange);

        var emoji = Assert.Single(FontFileReader.Read(Path.Combine(RepositoryFonts, "pinned", "NotoColorEmoji-subset.ttf")));
        Assert.True(emoji.IsColor, $"{emoji.Color}");
        Assert.False(Assert.Single(FontFileReader.Read(Path.Combine(RepositoryFonts, "pinned", "NotoSans-Regular.ttf"))).IsColor);
    }

    [Theory]
    [InlineData("pinned/NotoSans-Regular.ttf")]
    [InlineData("pinned/Inter-Regular.otf")]
    [InlineData("pinned/NotoColorEmoji-subset.ttf")]
    [InlineData("woff/pacifico-latin-400-normal.woff")]
    [InlineData("woff2/pacifico-latin-400-normal.woff2")]
    [InlineData("variable/recursive-latin-wght-normal.woff2")]
    public void AGarbledFontIsReadOrRefusedWithASayingNeverAnotherFailure(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(RepositoryFonts, name));
        var random = new Random(name.Length * 31);
        var path = Path.Combine(Path.GetTempPath(), $"bi-garbled-{Guid.NewGuid():N}{Path.GetExtension(name)}");
        var refused = 0;
        try
        {
            for (var n = 0; n < 300; n++)
            {
                var bytes = (byte[])original.Clone();
                switch (n % 3)
                {
                    case 0:
                        // Cut short anywhere, the header and table directory most often.
                        bytes = bytes[..(n % 2 == 0 ? random.Next(0, Math.Min(bytes.Length, 600)) : random.Next(0, bytes.Length))];
                        break;
                    case 1:
                        // Bytes of the header, directory and the first tables set to extremes.
                        for (var k = 0; k < 4; k++)
                        {
                            bytes[random.Next(0, Math.Min(bytes.Length, 2048))] = (byte)(random.Next(2) == 0 ? 0xFF : 0x00);
                        }
                        break;
                    default:
                        for (var k = 0; k < 16; k++)
                        {
                            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                        }
                        break;
                }
                File.WriteAllBytes(path, bytes);
                try
                {
                    foreach (var face in FontFileReader.Read(path))
                    {
                        Assert.False(string.IsNullOrEmpty(face.Family));
                        Assert.InRange(face.Weight, 1, 1000);
                        Assert.InRange(face.Coverage.Count, 0, 0x110000);
                    }
                }
                catch (InvalidDataException ex)
                {
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                    refused++;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        Assert.True(refused >= 50, $"only {refused} of 300 garbled files refused");
    }

    /// <summary>Every code point in the planes the face maps anything in: ours covers it exactly when HarfBuzz finds a glyph for it.</summary>
    private static void CheckCoverage(FontFace face, HarfBuzzSharp.Font font, string file)
    {
        var planes = face.Coverage.Ranges.SelectMany(r => Enumerable.Range(r.First >> 16, (r.Last >> 16) - (r.First >> 16) + 1)).Append(0).Distinct();
        foreach (var plane in planes)
        {
            for (var cp = plane << 16; cp < (plane + 1) << 16; cp++)
            {
                var hb = font.TryGetNominalGlyph((uint)cp, out _);
                if (hb != face.Coverage.Contains(cp))
                {
                    Assert.Fail($"{file}#{face.Index}: U+{cp:X4} {(hb ? "has a glyph in HarfBuzz but not in our coverage" : "is in our coverage but HarfBuzz finds no glyph")}");
                }
            }
        }
    }

    private static Dictionary<(string File, int Index), (string[] Families, double Weight, int Slant, double Width)> FontconfigScan()
    {
        var start = new ProcessStartInfo("fc-scan", ["--format", "%{file}\t%{index}\t%{family}\t%{weight}\t%{slant}\t%{width}\t%{variable}\n", "/usr/share/fonts", RepositoryFonts]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var faces = new Dictionary<(string, int), (string[], double, int, double)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            var index = int.Parse(f[1], CultureInfo.InvariantCulture);
            // Named instances of variable fonts (index above 65535) and the variable face itself are fontconfig's own entries.
            if (index > 0xFFFF || f[6] == "True" || f[3].StartsWith('['))
            {
                continue;
            }
            var families = f[2].Replace("\\,", "\u0001", StringComparison.Ordinal).Split(',').Select(x => x.Replace('\u0001', ',')).ToArray();
            faces.TryAdd((f[0], index), (families, double.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture), double.Parse(f[5], CultureInfo.InvariantCulture)));
        }
        return faces;
    }

    /// <summary>fontconfig's FcWeightFromOpenTypeDouble: its weight scale, linear between these points.</summary>
    private static double FontconfigWeight(int openType)
    {
        (int Ot, double Fc)[] map = [(0, 0), (100, 0), (200, 40), (300, 50), (350, 55), (380, 75), (400, 80), (500, 100), (600, 180), (700, 200), (800, 205), (900, 210), (1000, 215)];
        for (var i = 1; i < map.Length; i++)
        {
            if (openType <= map[i].Ot)
            {
                var (a, b) = (map[i - 1], map[i]);
                return a.Fc + ((b.Fc - a.Fc) * (openType - a.Ot) / (b.Ot - a.Ot));
            }
        }
        return 215;
    }

    /// <summary>fontconfig's width scale for usWidthClass (it keeps whole numbers: 87.5 is 87).</summary>
    private static double FontconfigWidth(int widthClass) => widthClass switch { 1 => 50, 2 => 62.5, 3 => 75, 4 => 87.5, 6 => 112.5, 7 => 125, 8 => 150, 9 => 200, _ => 100 };
}
