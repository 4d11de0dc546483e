using BuildImages.Core.Imaging;

namespace BuildImages.Core.Tests;

/// <summary>The token rules against each provider's own worked examples (the source of each is in vision-providers.json).</summary>
public sealed class VisionTokenTests
{
    private static readonly IReadOnlyList<VisionModel> Models = VisionModels.BuiltIn();

    private static VisionModel Model(string name) => Models.Single(m => m.Model == name);

    [Theory]
    // OpenAI, images-vision guide, "Calculating costs": 1024x1024 detail high costs 765; 2048x4096 costs 1105.
    [InlineData(1024, 1024, 765)]
    [InlineData(2048, 4096, 1105)]
    public void OpenAITileModelsMatchTheGuide(int w, int h, long tokens) =>
        Assert.Equal(tokens, Model("gpt-4o / gpt-4.1 / gpt-4.5").Estimate(w, h).Tokens);

    [Theory]
    // OpenAI, same guide, patch models: 1024x1024 is 1024 patches; 1800x2400 is scaled to 1452 patches (before the multiplier).
    [InlineData(1024, 1024, 1024)]
    [InlineData(1800, 2400, 1452)]
    public void OpenAIPatchModelsMatchTheGuide(int w, int h, long patches)
    {
        var model = Model("gpt-4.1-mini / gpt-5-mini");
        Assert.Equal((long)Math.Round(patches * 1.62), model.Estimate(w, h).Tokens);
    }

    [Theory]
    // Anthropic, vision guide, "Calculate image costs": 200x200 ≈ 54 tokens, 1000x1000 ≈ 1334, 1092x1092 ≈ 1590.
    [InlineData(200, 200, 54, false)]
    [InlineData(1000, 1000, 1334, false)]
    [InlineData(1092, 1092, 1590, false)]
    public void AnthropicMatchesTheGuide(int w, int h, long tokens, bool resized) =>
        Assert.Equal((tokens, resized), Model("claude (sonnet 4.x)").Estimate(w, h));

    [Fact]
    public void AnthropicResizesA4KPhotoItselfAndBillsTheResizedArea()
    {
        var (tokens, resized) = Model("claude (sonnet 4.x)").Estimate(3840, 2160);
        Assert.True(resized);
        // Capped at about 1.2 megapixels: at most 1,600 tokens, not 3840*2160/750 = 11,059.
        Assert.InRange(tokens, 1400, 1600);
    }

    [Fact]
    public void GeminiBillsASmallImageAsOneUnitAndALargeOneByTiles()
    {
        var gemini = Model("gemini-2.5-flash");
        // Gemini docs: both sides at most 384 px → 258 tokens.
        Assert.Equal((258L, false), gemini.Estimate(384, 384));
        Assert.True(gemini.Estimate(3840, 2160).Tokens > 258 * 4);
        Assert.Equal(1120L, Model("gemini-3-pro (media_resolution high)").Estimate(3840, 2160).Tokens);
    }

    [Fact]
    public void EveryModelNamesItsSourceAndTheDateItWasRead()
    {
        Assert.All(Models, m =>
        {
            Assert.StartsWith("https://", m.Source);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", m.Read);
            Assert.True(m.PricePerMillion > 0);
        });
        Assert.Equal(["anthropic", "google", "openai"], Models.Select(m => m.Provider).Distinct().Order(StringComparer.Ordinal));
    }
}
