using BuildImages.Core.Configuration;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// An emoji font whose colour glyphs come out blank on the machine is reported (BI0403), never silent: the engine
/// draws one emoji of each colour face once and looks at the pixels. Here Skia draws Noto Color Emoji in colour; the
/// test font says it is a colour font while its emoji is a plain glyph, as a COLRv1 font looks where Skia draws
/// through a DirectWrite without COLRv1 (Windows 10, Wine).
/// </summary>
public sealed class ColourGlyphProbeTests : IDisposable
{
    private readonly TestCards _cards = new();

    public void Dispose() => _cards.Dispose();

    private CardEngine Engine(bool strict = false) => new(new EngineOptions
    {
        TemplateRoots = [Path.Combine(_cards.Root, "templates")],
        FontFolders = [Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "colour-blank"), Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "pinned")],
        SystemFonts = false,
        Strict = strict,
    });

    private string Template(string family) => _cards.Template("emoji-" + family.Replace(' ', '-'),
        $$$"""
        <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000">
          <text x="10" y="10" width="580" font-size="40" font-family="Inter, {{{family}}}">Hello {{ e }}</text>
        </card>
        """);

    [Fact]
    public void AColourFontWhoseEmojiDrawsBlankIsReportedAndOneThatDrawsIsNot()
    {
        using var engine = Engine();
        using var renderer = engine.CreateRenderer();
        // The pinned Noto Color Emoji subset has the rocket; the test font has only the grinning face.
        using var drawn = renderer.Prepare(Template("Noto Color Emoji"), new Dictionary<string, object?> { ["e"] = "\U0001F680" }, new CardSize(600, 100), "emoji/noto");
        Assert.Contains(drawn.Inputs.FontFiles, f => f.EndsWith("NotoColorEmoji-subset.ttf", StringComparison.Ordinal));
        Assert.DoesNotContain(drawn.Warnings, w => w.Code == Diagnostics.DiagnosticCodes.ColourGlyphsNotDrawn);

        using var blank = renderer.Prepare(Template("Blank Colour Test"), new Dictionary<string, object?> { ["e"] = "\U0001F600" }, new CardSize(600, 100), "emoji/blank");
        var warning = Assert.Single(blank.Warnings, w => w.Code == Diagnostics.DiagnosticCodes.ColourGlyphsNotDrawn);
        Assert.Equal(Diagnostics.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("'BlankColourTest.otf' (Blank Colour Test) come out blank", warning.Message, StringComparison.Ordinal);
        Assert.Equal("emoji/blank", warning.Item);

        // A card without emoji never mentions it, even with the same font chain.
        using var plain = renderer.Prepare(Template("Blank Colour Test"), new Dictionary<string, object?> { ["e"] = "world" }, new CardSize(600, 100), "emoji/none");
        Assert.DoesNotContain(plain.Warnings, w => w.Code == Diagnostics.DiagnosticCodes.ColourGlyphsNotDrawn);
    }

    [Fact]
    public void InStrictModeABlankColourFontFailsTheCard()
    {
        using var engine = Engine(strict: true);
        using var renderer = engine.CreateRenderer();
        var ex = Assert.ThrowsAny<Diagnostics.BuildInputException>(() =>
            renderer.Prepare(Template("Blank Colour Test"), new Dictionary<string, object?> { ["e"] = "\U0001F600" }, new CardSize(600, 100), "emoji/strict"));
        Assert.Equal(Diagnostics.DiagnosticCodes.ColourGlyphsNotDrawn, ex.Diagnostic.Code);
    }
}
