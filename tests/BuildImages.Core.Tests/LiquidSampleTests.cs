using System.Text.RegularExpressions;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>samples/liquid/blog-post (Liquid) renders the same card markup as the built-in blog-post (Scriban), for every sample item and size.</summary>
public sealed partial class LiquidSampleTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var item in GoldenImageTests.SampleItems("blog-post"))
        {
            data.Add((string)item["slug"]!, "1200x630");
            data.Add((string)item["slug"]!, "1080x1080");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheLiquidBlogPostWritesTheSameMarkupAsTheBuiltIn(string slug, string size)
    {
        Assert.True(CardSize.TryParse(size, out var cardSize));
        var item = GoldenImageTests.SampleItems("blog-post").Single(i => (string)i["slug"]! == slug);
        var engine = new ScribanTemplateEngine(new TemplateOptions());
        var scriban = engine.Compile(new TemplateCatalog([Path.Combine(TestCards.RepoRoot, "templates")]).Resolve("blog-post"));
        var liquid = engine.Compile(new TemplateCatalog([Path.Combine(TestCards.RepoRoot, "samples", "liquid")]).Resolve("blog-post"));
        Assert.EndsWith("card.liquid", liquid.Definition.MainFile, StringComparison.Ordinal);

        Assert.Equal(Tags(scriban.Evaluate(item, cardSize).Markup), Tags(liquid.Evaluate(item, cardSize).Markup));
    }

    /// <summary>Whitespace between elements draws nothing; whitespace inside text does, and is kept.</summary>
    private static string Tags(string markup) => BetweenTags().Replace(markup, "><").Trim();

    [GeneratedRegex(@">\s+<")]
    private static partial Regex BetweenTags();
}
