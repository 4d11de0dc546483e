using BuildImages.Core.Configuration;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>
/// The fonts shipped with BuildImages (templates/fonts: Inter and Noto Color Emoji) draw the built-in templates' Latin
/// text and emoji where the machine has no fonts: the engine here sees no system font and no project font folder.
/// </summary>
public sealed class ShippedFontTests
{
    private static CardEngine BareEngine(string template)
    {
        var sampleDir = Path.Combine(TestCards.RepoRoot, "samples", template);
        return new CardEngine(new EngineOptions
        {
            TemplateRoots = [Path.Combine(TestCards.RepoRoot, "templates")],
            AssetRoots = [sampleDir, Path.Combine(sampleDir, "assets")],
            SystemFonts = false,
        });
    }

    [Fact]
    public void ALatinCardWithAnEmojiDrawsWithTheShippedFontsAloneAndInColour()
    {
        using var engine = BareEngine("blog-post");
        using var renderer = engine.CreateRenderer();
        var item = GoldenImageTests.SampleItems("blog-post").Single(i => (string)i["slug"]! == "short");

        using var prepared = renderer.Prepare("blog-post", item, new CardSize(1200, 630), "short");
        var card = prepared.Draw(1);

        Assert.Empty(prepared.Warnings);
        var shipped = EngineOptions.ShippedFontFolder();
        Assert.NotNull(shipped);
        Assert.All(prepared.Inputs.FontFiles, f => Assert.StartsWith(shipped, f, StringComparison.Ordinal));
        Assert.Contains(prepared.Inputs.FontFiles, f => f.EndsWith("NotoColorEmoji.ttf", StringComparison.Ordinal));
        Assert.Contains(prepared.Inputs.FontFiles, f => f.EndsWith("Inter-ExtraBold.otf", StringComparison.Ordinal));
        // The rocket after "Ship it" is drawn in colour: red and orange pixels where the title is white on navy.
        var warm = 0;
        for (var y = 240; y < 360; y++)
        {
            for (var x = 280; x < 440; x++)
            {
                var (r, g, b, _) = card.PixelAt(x, y);
                warm += r > 150 && r - b > 80 && r - g > 40 ? 1 : 0;
            }
        }
        Assert.True(warm > 150, $"{warm} warm pixels where the rocket should be");
    }

    [Fact]
    public void WithoutTheShippedFontsTheSameCardNamesTheMissingFamily()
    {
        var sampleDir = Path.Combine(TestCards.RepoRoot, "samples", "blog-post");
        using var engine = new CardEngine(new EngineOptions
        {
            TemplateRoots = [Path.Combine(TestCards.RepoRoot, "templates")],
            AssetRoots = [sampleDir, Path.Combine(sampleDir, "assets")],
            SystemFonts = false,
            ShippedFonts = false,
        });
        using var renderer = engine.CreateRenderer();
        var item = GoldenImageTests.SampleItems("blog-post").Single(i => (string)i["slug"]! == "short");

        var ex = Assert.ThrowsAny<Diagnostics.BuildInputException>(() => renderer.Prepare("blog-post", item, new CardSize(1200, 630), "short"));

        Assert.Contains("'Inter'", ex.Diagnostic.Message, StringComparison.Ordinal);
    }
}
