using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Configuration;

namespace BuildImages.Core.Tests;

public sealed class RendererTests
{
    private static CardEngine SampleEngine()
    {
        var sample = Path.Combine(TestCards.RepoRoot, "samples", "blog-post");
        return new CardEngine(new EngineOptions
        {
            TemplateRoots = [Path.Combine(TestCards.RepoRoot, "templates")],
            AssetRoots = [sample, Path.Combine(sample, "assets")],
        });
    }

    [Fact]
    public void ARenderReportsTheTemplateFontAndAssetFilesItUsed()
    {
        using var engine = SampleEngine();
        using var renderer = engine.CreateRenderer();
        var item = GoldenImageTests.SampleItems("blog-post")[0];
        using var prepared = renderer.Prepare("blog-post", item, new CardSize(1200, 630));
        Assert.Contains(prepared.Inputs.TemplateFiles, f => f.EndsWith(Path.Combine("blog-post", "card.sbn"), StringComparison.Ordinal));
        Assert.Contains(prepared.Inputs.FontFiles, f => Path.GetFileName(f).StartsWith("Inter-", StringComparison.Ordinal));
        Assert.Contains(prepared.Inputs.AssetFiles, f => f.EndsWith("logo.svg", StringComparison.Ordinal));
        Assert.All(prepared.Inputs.All, f => Assert.True(File.Exists(f), f));

        // Without a logo the asset list is empty: it lists what the render read, not what exists.
        var noLogo = new Dictionary<string, object?>(item) { ["logo"] = null };
        using var plain = renderer.Prepare("blog-post", noLogo, new CardSize(1200, 630));
        Assert.Empty(plain.Inputs.AssetFiles);
    }

    [Fact]
    public async Task ParallelRenderersGiveIdenticalPixels()
    {
        using var engine = SampleEngine();
        var items = GoldenImageTests.SampleItems("blog-post");
        byte[][] RenderAll()
        {
            using var renderer = engine.CreateRenderer();
            return items.Select(i => renderer.Render("blog-post", i, new CardSize(1200, 630)).Bgra).ToArray();
        }
        var results = await Task.WhenAll(Task.Run(RenderAll), Task.Run(RenderAll));
        for (var i = 0; i < items.Count; i++)
        {
            Assert.True(results[0][i].AsSpan().SequenceEqual(results[1][i]), $"item {i} differs between threads");
        }
    }

    [Fact]
    public void SameLayoutDrawsAtEveryWidthWithTheSameProportions()
    {
        using var engine = SampleEngine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare("blog-post", GoldenImageTests.SampleItems("blog-post")[0], new CardSize(1200, 630));
        var full = prepared.DrawAtWidth(1200);
        var half = prepared.DrawAtWidth(600);
        Assert.Equal((600, 315), (half.Width, half.Height));
        // Compare 2x2 averages of the full card with the half card: equal up to antialiasing at edges.
        long total = 0;
        var samples = 0;
        for (var y = 10; y < 310; y += 20)
        {
            for (var x = 10; x < 590; x += 20)
            {
                var h = half.PixelAt(x, y);
                var (r, g, b) = (0, 0, 0);
                foreach (var (dx, dy) in new[] { (0, 0), (1, 0), (0, 1), (1, 1) })
                {
                    var f = full.PixelAt((2 * x) + dx, (2 * y) + dy);
                    (r, g, b) = (r + f.R, g + f.G, b + f.B);
                }
                total += Math.Abs(h.R - (r / 4)) + Math.Abs(h.G - (g / 4)) + Math.Abs(h.B - (b / 4));
                samples++;
            }
        }
        var mean = total / (double)samples;
        Assert.True(mean < 12, $"mean difference {mean:F1} per pixel");
    }
}
