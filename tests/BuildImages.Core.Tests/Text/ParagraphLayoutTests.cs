using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// The paragraph layout of the portable text stack, with the repository's pinned fonts only (the same faces on every
/// machine). Widths and metrics are checked against HarfBuzz itself shaping the same strings: what the layout adds
/// (itemisation, fallback, bidi order, breaking, line boxes, ellipsis) is what is under test.
/// </summary>
public sealed class ParagraphLayoutTests : IDisposable
{
    private static readonly FontSet Fonts = FontSet.Scan([new FontFolder(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "pinned"), FontOrigin.Project)]);
    private readonly ShapingFaces _shaping = new();

    private LaidOutParagraph Lay(string text, float? width = null, int? maxLines = null, string family = "Inter", float size = 40, int? direction = null, float? lineHeight = null, TextAlign align = TextAlign.Start, float spacing = 0) =>
        ParagraphLayout.Layout(text, new SpanStyle { Families = [family], Size = size, LetterSpacing = spacing }, new ParagraphStyle { MaxWidth = width, MaxLines = maxLines, Direction = direction, LineHeight = lineHeight, Align = align }, Fonts, _shaping);

    /// <summary>The advance HarfBuzz gives a string in one face, in pixels: the oracle for widths.</summary>
    private float HarfBuzzWidth(string text, string family, float size = 40)
    {
        var face = Fonts.Match(family)!;
        var font = _shaping.Get(face, []);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf16(text);
        buffer.GuessSegmentProperties();
        font.Font.Shape(buffer);
        return buffer.GlyphPositions.Sum(p => p.XAdvance) * size / font.UnitsPerEm;
    }

    [Fact]
    public void OneLineIsAsWideAsHarfBuzzShapesIt()
    {
        var laid = Lay("Hello, world");

        var line = Assert.Single(laid.Lines);
        Assert.Equal(HarfBuzzWidth("Hello, world", "Inter"), line.Width, 0.01f);
        var run = Assert.Single(line.Runs);
        Assert.Equal("Inter-Regular.otf", Path.GetFileName(run.Face.File));
        Assert.Equal(12, run.Glyphs.Length);
        Assert.True(run.X.Zip(run.X.Skip(1)).All(p => p.First < p.Second), "glyphs advance left to right");
        Assert.Empty(laid.Missing);
    }

    [Fact]
    public void LinesBreakGreedilyAtSpacesAndNeverPassTheWidth()
    {
        const string text = "The quick brown fox jumps over the lazy dog and keeps on running past the barn";
        var laid = Lay(text, width: 300);

        Assert.True(laid.Lines.Count >= 4, $"{laid.Lines.Count} lines");
        Assert.Equal(0, laid.Lines[0].Start);
        Assert.Equal(text.Length, laid.Lines[^1].End);
        for (var i = 0; i < laid.Lines.Count; i++)
        {
            var line = laid.Lines[i];
            var words = text[line.Start..line.End].TrimEnd();
            Assert.True(line.Width <= 300.01f, $"line {i} '{words}' is {line.Width} wide");
            Assert.Equal(HarfBuzzWidth(words, "Inter"), line.Width, 0.05f);
            Assert.True(line.Start == 0 || text[line.Start - 1] == ' ', $"line {i} starts inside a word");
            if (i + 1 < laid.Lines.Count)
            {
                // Greedy: the next word would not have fit.
                var next = laid.Lines[i + 1];
                var nextWord = text[next.Start..next.End].Split(' ')[0];
                Assert.True(HarfBuzzWidth(words + " " + nextWord, "Inter") > 300, $"'{nextWord}' would have fit on line {i}");
            }
        }
    }

    [Fact]
    public void AWordWiderThanTheLineBreaksBetweenClusters()
    {
        var laid = Lay("Supercalifragilisticexpialidocious", width: 120);

        Assert.True(laid.Lines.Count >= 3, $"{laid.Lines.Count} lines");
        Assert.All(laid.Lines, l => Assert.True(l.Width <= 120.01f && l.End > l.Start, $"{l.Start}-{l.End}: {l.Width}"));
        Assert.Equal(34, laid.Lines.Sum(l => l.End - l.Start));
    }

    [Fact]
    public void RightToLeftTextIsReorderedAndShapedJoined()
    {
        // Hebrew inside a left-to-right paragraph: Latin, then the Hebrew run with its first letter rightmost, then Latin.
        var mixed = Assert.Single(Lay("abc \u05D0\u05D1\u05D2 def").Lines);
        Assert.Equal(["Inter-Regular.otf", "NotoSansHebrew-Regular.ttf", "Inter-Regular.otf"], mixed.Runs.Select(r => Path.GetFileName(r.Face.File)));
        var hebrew = mixed.Runs[1];
        Assert.True(hebrew.RightToLeft);
        Assert.Equal([6, 5, 4], hebrew.Clusters);
        Assert.True(mixed.Runs[0].X.Max() < hebrew.X.Min() && hebrew.X.Max() < mixed.Runs[2].X.Min());

        // A right-to-left paragraph (first strong character Hebrew): the Latin word ends up on the left.
        var rtl = Assert.Single(Lay("\u05E9\u05DC\u05D5\u05DD abc", family: "Noto Sans Hebrew").Lines);
        Assert.Equal("Inter-Regular.otf", Path.GetFileName(rtl.Runs[0].Face.File));

        // Arabic letters join: the word's glyphs are not the letters' isolated forms.
        var arabic = Assert.Single(Assert.Single(Lay("\u0633\u0644\u0627\u0645", family: "Noto Sans Arabic").Lines).Runs);
        var isolated = "\u0633\u0644\u0627\u0645".Select(c => Assert.Single(Assert.Single(Lay(c.ToString(), family: "Noto Sans Arabic").Lines).Runs).Glyphs[0]).ToArray();
        Assert.NotEqual(isolated.Reverse().ToArray(), arabic.Glyphs);
    }

    [Fact]
    public void EachClusterGetsAFaceThatHasItAndWhatNoneHasIsReported()
    {
        var laid = Lay("A \u0E01\u0E34 \U0001F389 \u1793");

        var faces = laid.Lines.SelectMany(l => l.Runs).Select(r => Path.GetFileName(r.Face.File)).Distinct().ToArray();
        Assert.Contains("NotoSansThai-Regular.ttf", faces);
        Assert.Contains("NotoColorEmoji-subset.ttf", faces);
        // Thai KO KAI with its vowel SARA I: one face for both.
        var thai = laid.Lines.SelectMany(l => l.Runs).Single(r => r.Face.File.EndsWith("NotoSansThai-Regular.ttf", StringComparison.Ordinal));
        Assert.Equal(2, thai.Glyphs.Length);
        Assert.Equal([0x1793], laid.Missing);

        // Thai NO NU with a Khmer vowel sign: no face has both, so the face of the base draws it and only the sign is missing.
        var mixed = Lay("\u0E19\u17C5");
        Assert.All(mixed.Lines[0].Runs, r => Assert.Equal("NotoSansThai-Regular.ttf", Path.GetFileName(r.Face.File)));
        Assert.Equal([0x17C5], mixed.Missing);
    }

    [Fact]
    public void ALineOfTheFirstFamilyIsAsHighAsAskedAndTallerGlyphsGrowTheirLineOnly()
    {
        // Arabic ALEF WITH HAMZA ABOVE with FATHA and SHADDA stacked on it reaches 1.33 em up, past Inter's 0.97.
        var laid = Lay("Aaaa\n\u0623\u064E\u0651 \u0623\u064E\u0651\nAaaa", lineHeight: 1.25f);

        Assert.Equal(3, laid.Lines.Count);
        Assert.Equal(50, laid.Lines[0].Height, 0.01f);
        Assert.Equal(50, laid.Lines[2].Height, 0.01f);
        Assert.True(laid.Lines[1].Height > 50.5f, $"{laid.Lines[1].Height}");
        Assert.Equal(4, laid.Lines[0].Runs.Sum(r => r.Glyphs.Length)); // the line break draws nothing
        for (var i = 0; i < laid.Lines.Count; i++)
        {
            var line = laid.Lines[i];
            Assert.Equal(i == 0 ? 0 : laid.Lines[i - 1].Top + laid.Lines[i - 1].Height, line.Top, 0.001f);
            // No glyph's ink reaches above its own line box (into the line before).
            foreach (var run in line.Runs)
            {
                var font = _shaping.Get(run.Face, run.Variations);
                for (var g = 0; g < run.Glyphs.Length; g++)
                {
                    font.Font.TryGetGlyphExtents(run.Glyphs[g], out var extents);
                    var inkTop = run.Y[g] - (extents.YBearing * run.Size / font.UnitsPerEm);
                    Assert.True(inkTop >= line.Top - 0.01f, $"line {i} glyph {g}: ink at {inkTop}, line at {line.Top}");
                }
            }
        }

        // A generous line height is kept as asked.
        Assert.Equal(80, Lay("Aaaa", lineHeight: 2).Lines[0].Height, 0.01f);
    }

    [Fact]
    public void TextCutAtMaxLinesEndsInAnEllipsisThatFits()
    {
        var laid = Lay("One two three four five six seven eight nine ten eleven twelve", width: 200, maxLines: 2);

        Assert.True(laid.Ellipsized);
        Assert.Equal(2, laid.Lines.Count);
        var last = laid.Lines[^1];
        Assert.True(last.Width <= 200.01f, $"{last.Width}");
        var face = Fonts.Match("Inter")!;
        _shaping.Get(face, []).Font.TryGetNominalGlyph(0x2026, out var ellipsis);
        Assert.Equal(ellipsis, last.Runs[^1].Glyphs[^1]);
        Assert.False(Lay("One two", width: 200, maxLines: 2).Ellipsized);
    }

    [Fact]
    public void AlignmentAndLetterSpacingMoveGlyphsAsAsked()
    {
        var width = HarfBuzzWidth("Hi", "Inter");
        Assert.Equal((400 - width) / 2, Lay("Hi", width: 400, align: TextAlign.Center).Lines[0].Runs[0].X[0], 0.01f);
        Assert.Equal(400 - width, Lay("Hi", width: 400, align: TextAlign.End).Lines[0].Runs[0].X[0], 0.01f);
        // Start in a right-to-left paragraph is the right edge.
        var rtl = Lay("\u05D0\u05D1", width: 400, family: "Noto Sans Hebrew").Lines[0];
        Assert.Equal(400 - rtl.Width, rtl.Runs[0].X[0], 0.01f);

        var spaced = Lay("Hello", spacing: 5).Lines[0];
        Assert.Equal(HarfBuzzWidth("Hello", "Inter") + 25, spaced.Width, 0.01f);
    }

    [Fact]
    public void SpansKeepTheirOwnSizeWeightAndTagOnOneBaseline()
    {
        var laid = ParagraphLayout.Layout(
            [new TextSpan("Big ", new SpanStyle { Families = ["Inter"], Size = 60, Weight = 700 }, Tag: 1), new TextSpan("small", new SpanStyle { Families = ["Inter"], Size = 20 }, Tag: 2)],
            new ParagraphStyle { LineHeight = 1 },
            Fonts,
            _shaping);

        var line = Assert.Single(laid.Lines);
        Assert.Equal([1, 2], line.Runs.Select(r => r.Tag));
        Assert.Equal([60f, 20f], line.Runs.Select(r => r.Size));
        Assert.Equal(["Inter-Bold.otf", "Inter-Regular.otf"], line.Runs.Select(r => Path.GetFileName(r.Face.File)));
        Assert.Single(line.Runs.SelectMany(r => r.Y).Distinct());
        // The line is as high as the line height at its largest size.
        Assert.Equal(60, line.Height, 0.01f);
        Assert.True(line.Runs[1].X[0] > line.Runs[0].X[^1]);
    }

    [Fact]
    public void AVariableFaceIsShapedAtTheAxesAsked()
    {
        var fonts = FontSet.Scan([new FontFolder(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "variable"), FontOrigin.Project)]);
        LaidOutLine Line(int weight, string? variations) => Assert.Single(ParagraphLayout.Layout(
            "Variable weights", new SpanStyle { Families = ["Recursive Sans Linear Light"], Size = 40, Weight = weight, Variations = variations }, new ParagraphStyle(), fonts, _shaping).Lines);

        var light = Line(300, null);
        var heavy = Line(900, null);
        Assert.Equal([new FontVariation("wght", 300)], light.Runs[0].Variations);
        Assert.Equal([new FontVariation("wght", 900)], heavy.Runs[0].Variations);
        // Recursive keeps its advances across weights; its stems are what grow: the ink of 'l' is wider at 900.
        int Stem(LaidOutLine line)
        {
            var run = line.Runs[0];
            var font = _shaping.Get(run.Face, run.Variations).Font;
            font.TryGetGlyphExtents(run.Glyphs[Array.IndexOf(run.Clusters, 6)], out var extents);
            return extents.Width;
        }
        Assert.True(Stem(heavy) > Stem(light) * 1.5, $"{Stem(heavy)} vs {Stem(light)}");
        // The variations win over the weight, clamped to the axis.
        Assert.Equal([new FontVariation("wght", 1000)], Line(300, "wght=2000").Runs[0].Variations);
        Assert.Equal(Stem(heavy), Stem(Line(300, "wght=900")));
    }

    [Fact]
    public void TextPastMaxHeightIsCutToWholeLinesWithAnEllipsis()
    {
        var laid = ParagraphLayout.Layout(
            "One two three four five six seven eight nine ten eleven twelve", new SpanStyle { Families = ["Inter"], Size = 40 },
            new ParagraphStyle { MaxWidth = 200, LineHeight = 1.5f, MaxHeight = 130 }, Fonts, _shaping);

        Assert.Equal(2, laid.Lines.Count);
        Assert.True(laid.Ellipsized);
        Assert.Equal(120, laid.Height, 0.01f);

        // An empty line between two breaks is as high as the lines around it.
        var gap = Lay("a\n\nb", lineHeight: 1.5f);
        Assert.Equal(3, gap.Lines.Count);
        Assert.Equal(gap.Lines[0].Height, gap.Lines[1].Height, 0.01f);
    }

    [Fact]
    public void EmptyTextIsOneEmptyLineOfItsLineHeight()
    {
        var laid = Lay(string.Empty, lineHeight: 1.5f);

        var line = Assert.Single(laid.Lines);
        Assert.Empty(line.Runs);
        Assert.Equal(60, line.Height, 0.01f);
        Assert.Equal(0, laid.Width);
        Assert.False(laid.Ellipsized);
    }

    private float Extents(string family)
    {
        var font = _shaping.Get(Fonts.Match(family)!, []);
        return (font.Ascender + font.Descender) * 40f / font.UnitsPerEm;
    }

    public void Dispose() => _shaping.Dispose();
}
