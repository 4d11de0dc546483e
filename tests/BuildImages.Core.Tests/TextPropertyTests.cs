using BuildImages.Core.Markup;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Text;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>Text layout properties checked on pixels and on the shaped layout.</summary>
public sealed class TextPropertyTests : IDisposable
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private readonly TestCards _cards = new();

    [Theory]
    [InlineData("W")]
    [InlineData("Lorem ipsum dolor sit amet ")]
    [InlineData("Supercalifragilisticexpialidocious")]
    [InlineData("كيف نبني بطاقات المشاركة ")]
    [InlineData("日本語のテキストを折り返す")]
    public void A400CharacterTitleNeverDrawsOutsideItsBox(string unit)
    {
        var title = string.Concat(Enumerable.Repeat(unit, (400 / unit.Length) + 1))[..400];
        var card = _cards.Render(
            """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
              <text x="100" y="60" width="400" height="180" font-size="48" font-weight="800">{{ title }}</text>
            </card>
            """,
            new() { ["title"] = title });
        var inside = PixelAssert.Ink(card, 100, 60, 500, 240, White);
        var total = PixelAssert.Ink(card, 0, 0, card.Width, card.Height, White);
        Assert.True(inside > 1000, $"expected the title to draw inside its box, found {inside} ink pixels");
        Assert.Equal(inside, total);
    }

    [Fact]
    public void AMegabyteTitleWithAShadowIsCutAndStillDrawnInsideItsBox()
    {
        // A megabyte in one line is cut to what a card can show (pango's coordinates wrapped past ~2 million px).
        var title = string.Concat(Enumerable.Repeat("word ", 200_000));
        var card = _cards.Render(
            """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
              <text x="100" y="60" width="400" height="180" font-size="48" font-weight="800" max-lines="3" shadow="0 2 2 rgba(0,0,0,0.3)">{{ title }}</text>
            </card>
            """,
            new() { ["title"] = title });
        var inside = PixelAssert.Ink(card, 90, 50, 510, 250, White);
        var total = PixelAssert.Ink(card, 0, 0, card.Width, card.Height, White);
        Assert.True(inside > 1000, $"expected the title to draw inside its box, found {inside} ink pixels");
        Assert.Equal(inside, total);
        Assert.Equal(TextCut.MaxCharacters, TextCut.Cut(title).Length);
        // Never between a letter and its combining accent: 9,999 x and "é" as e + U+0301 keeps the x only.
        Assert.Equal(TextCut.MaxCharacters - 1, TextCut.Cut(new string('x', TextCut.MaxCharacters - 1) + "e\u0301").Length);
    }

    [Fact]
    public void MaxLinesTruncatesWithAnEllipsis()
    {
        using var engine = _cards.Engine();
        var node = TextNode("one two three four five six seven eight nine ten eleven twelve thirteen fourteen");
        var shaped = engine.Text.Set(node, TextStyle.Defaults, 32, 300, 2, null);
        Assert.Equal(2, shaped.LineCount);
        Assert.True(shaped.Ellipsized);
        var unclamped = engine.Text.Set(node, TextStyle.Defaults, 32, 300, null, null);
        Assert.True(unclamped.LineCount > 2);
        Assert.False(unclamped.Ellipsized);
    }

    [Fact]
    public void MaxLinesClampShowsTheEllipsisGlyphAndKeepsLinesBelowEmpty()
    {
        var card = _cards.Render(
            """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
              <text x="20" y="20" width="560" font-size="40" line-height="1.25" max-lines="2">{{ t }}</text>
            </card>
            """,
            new() { ["t"] = string.Concat(Enumerable.Repeat("words that wrap ", 30)) });
        // Two lines of 50 px: nothing drawn below y = 20 + 100 (+ a few px of descender).
        Assert.True(PixelAssert.Ink(card, 0, 20, 600, 120, White) > 500);
        Assert.Equal(0, PixelAssert.Ink(card, 0, 126, 600, 300, White));
    }

    [Theory]
    [InlineData("Short", 30, 90)]
    [InlineData("A considerably longer title that has to shrink quite a lot before it fits into three lines", 30, 90)]
    [InlineData("Mid-length title for shrinking", 40, 60)]
    public void ShrinkToFitLandsBetweenItsBoundsAndFits(string text, double min, double max)
    {
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var name = _cards.Template("shrink",
            """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff">
              <text x="0" y="0" width="500" height="200" font-size="MAXV" min-font-size="MINV" max-lines="3">{{ t }}</text>
            </card>
            """.Replace("MAXV", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
               .Replace("MINV", min.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["t"] = text }, new CardSize(600, 300));
        var shaped = FindText(prepared);
        Assert.InRange(shaped.Size, min, max);
        Assert.True(shaped.Height <= 200.5, $"height {shaped.Height}");
        Assert.False(shaped.Ellipsized);
        if (text.Length < 40)
        {
            Assert.Equal(max, shaped.Size);
        }
        else
        {
            Assert.True(shaped.Size < max);
        }
    }

    [Theory]
    [InlineData("arabic", "مرحبا بالعالم")]
    [InlineData("hebrew", "שלום עולם")]
    [InlineData("japanese", "こんにちは世界、カタカナ")]
    [InlineData("chinese", "你好世界，简体中文")]
    [InlineData("thai", "สวัสดีชาวโลก ภาษาไทย")]
    [InlineData("devanagari", "नमस्ते दुनिया")]
    [InlineData("emoji", "🚀 👩‍👩‍👧‍👦 🇯🇵 👍🏽")]
    public void ScriptsDrawRealGlyphsNotBoxes(string script, string text)
    {
        var usage = ShapeAndUsage(text);
        Assert.True(usage.Uncovered.Count == 0, $"{script}: uncovered {string.Join(",", usage.Uncovered.Select(u => $"U+{u.CodePoint:X4}"))}");
        Assert.NotEmpty(usage.FontFiles);
        // The same detector does report a code point no font covers (a box would be drawn).
        var tofu = ShapeAndUsage("\u0378\u0379");
        Assert.Contains(tofu.Uncovered, u => u.CodePoint == 0x0378);
        // And the pixels differ from the boxes drawn for uncovered code points.
        var real = RenderLine(text);
        var boxes = RenderLine(string.Concat(Enumerable.Repeat("\u0378", new System.Globalization.StringInfo(text).LengthInTextElements)));
        Assert.True(Differs(real, boxes) > 200, $"{script} rendering looks like the .notdef boxes");
    }

    [Fact]
    public void ColourEmojiDrawInColour()
    {
        var card = RenderLine("🚀👍🏽");
        var coloured = 0;
        for (var y = 0; y < card.Height; y++)
        {
            for (var x = 0; x < card.Width; x++)
            {
                var p = card.PixelAt(x, y);
                if (Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) > 60)
                {
                    coloured++;
                }
            }
        }
        Assert.True(coloured > 300, $"only {coloured} coloured pixels");
    }

    [Fact]
    public void ArabicRunsRightToLeftAndStartsAtTheRightEdge()
    {
        Assert.True(AnyRunRightToLeft("مرحبا بالعالم"));
        Assert.False(AnyRunRightToLeft("Hello world"));
        var card = _cards.Render(
            """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
              <text x="0" y="0" width="600" font-size="40">{{ t }}</text>
            </card>
            """,
            new() { ["t"] = "مرحبا" });
        var bounds = PixelAssert.InkBounds(card, White)!.Value;
        Assert.True(bounds.X0 > 300, $"Arabic text starts at x={bounds.X0}; start alignment should put it at the right");
        Assert.True(bounds.X1 > 590);
    }

    [Fact]
    public void WordBreakKeepAllSetsKoreanInWordsAndIsInherited()
    {
        const string korean = "빌드할 때 한 번만 생성하여 만든 카드를 모든 페이지에서 공유하세요";
        // For each line but the last: whether it ends at a space (the break after a word), not inside a word.
        bool[] EndsAtSpace(string attributes)
        {
            using var engine = _cards.Engine();
            using var renderer = engine.CreateRenderer();
            var name = _cards.Template("korean" + attributes.Length,
                $$$"""
                <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" {{{attributes}}}>
                  <text x="0" y="0" width="290" font-size="40" font-family="Noto Sans CJK KR, Noto Sans CJK JP">{{ t }}</text>
                </card>
                """);
            using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["t"] = korean }, new CardSize(600, 400));
            var text = FindText(prepared);
            return [.. text.Paragraph.Lines.SkipLast(1).Select(l => text.Text[l.End - 1] == ' ')];
        }
        var normal = EndsAtSpace("");
        var keepAll = EndsAtSpace("word-break=\"keep-all\"");

        // Without keep-all, lines fill up to the width and some end inside a word; with it (set on the card, inherited
        // by the text), every line ends after a whole word.
        Assert.True(normal.Length >= 2 && keepAll.Length >= 2, $"{normal.Length} and {keepAll.Length} lines");
        Assert.Contains(false, normal);
        Assert.All(keepAll, atSpace => Assert.True(atSpace));
    }

    [Fact]
    public void AnUnknownWordBreakValueIsALocatedError()
    {
        var name = _cards.Template("wordbreak", """
            <card width="{{ card.width }}" height="{{ card.height }}">
              <text word-break="break-all">x</text>
            </card>
            """);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var ex = Assert.ThrowsAny<Diagnostics.BuildInputException>(() => renderer.Prepare(name, new Dictionary<string, object?>(), new CardSize(600, 400)));
        Assert.Equal(Diagnostics.DiagnosticCodes.BadAttributeValue, ex.Diagnostic.Code);
        Assert.Contains("break-all", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Diagnostic.Line);
    }

    [Fact]
    public void SubtitleSitsUnderTheTitleWhateverItsLineCount()
    {
        int SubtitleTop(string title)
        {
            var card = _cards.Render(
                """
                <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
                  <column x="0" y="0" width="600" gap="10">
                    <text font-size="30">{{ title }}</text>
                    <rect height="20" fill="#ff0000"/>
                  </column>
                </card>
                """,
                new() { ["title"] = title },
                height: 400);
            for (var y = 0; y < card.Height; y++)
            {
                var p = card.PixelAt(300, y);
                if (p.R > 200 && p.G < 50)
                {
                    return y;
                }
            }
            return -1;
        }
        var one = SubtitleTop("One line");
        var three = SubtitleTop(string.Concat(Enumerable.Repeat("many words wrap here ", 6)));
        Assert.InRange(one, 40, 50);
        Assert.True(three > one + 60, $"one line: {one}, three lines: {three}");
    }

    private bool AnyRunRightToLeft(string text)
    {
        using var engine = _cards.Engine();
        return engine.Text.Set(TextNode(text), TextStyle.Defaults, 40, 1000, null, null).Paragraph.Lines.SelectMany(l => l.Runs).Any(r => r.RightToLeft);
    }

    private TextUsage ShapeAndUsage(string text)
    {
        using var engine = _cards.Engine();
        var usage = new TextUsage();
        var shaped = engine.Text.Set(TextNode(text), TextStyle.Defaults, 40, 1000, null, null);
        usage.Record(shaped.Paragraph, shaped.Text);
        return usage;
    }

    private RenderedCard RenderLine(string text) => _cards.Render(
        """
        <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
          <text x="10" y="10" width="580" font-size="48">{{ t }}</text>
        </card>
        """,
        new() { ["t"] = text },
        height: 100);

    private static int Differs(RenderedCard a, RenderedCard b)
    {
        var n = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var p = a.PixelAt(x, y);
                var q = b.PixelAt(x, y);
                if (Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B) > 60)
                {
                    n++;
                }
            }
        }
        return n;
    }

    private static TextNode TextNode(string text) => new() { ElementName = "text", Inlines = [new InlineText(text)] };

    private static TextBlock FindText(PreparedCard prepared)
    {
        var root = (Layout.LayoutBox)typeof(PreparedCard).GetField("_root", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(prepared)!;
        return root.Descendants().Select(b => b.Text).OfType<TextBlock>().Single();
    }

    public void Dispose() => _cards.Dispose();
}
