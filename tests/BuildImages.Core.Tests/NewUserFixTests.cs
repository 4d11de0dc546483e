using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>What a new user trying the tool on a real site's posts ran into (issue 12, "also fix").</summary>
public sealed class NewUserFixTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void ADataGlobThatMatchesNothingKeepsTheJobsEarlierOutputs()
    {
        _site.AddPostsJob("content/*.md", size: "200x100");
        _site.Write("content/a.md", "---\ntitle: A\n---\n");
        _site.Build();
        Assert.True(File.Exists(Path.Combine(_site.Site, "posts", "a.png")));
        _site.Config["jobs"]![2]!["data"] = "contnet/*.md";
        _site.Save();

        var report = _site.Build();

        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0012");
        Assert.Contains("earlier outputs are kept", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Outputs, o => o.Status == OutputStatus.Pruned);
        Assert.True(File.Exists(Path.Combine(_site.Site, "posts", "a.png")));
    }

    [Fact]
    public void BraceGlobsAndListsOfGlobsReadEveryMatchingFile()
    {
        _site.Write("content/a.md", "---\ntitle: A\n---\n");
        _site.Write("content/b.markdown", "---\ntitle: B\n---\n");
        _site.Write("news/c.md", "---\ntitle: C\n---\n");
        Assert.Equal(["a.md", "b.markdown"], DataLoader.SourceFiles("content/*.{md,markdown}", _site.Root).Select(Path.GetFileName));

        _site.AddPostsJob("x", size: "200x100");
        _site.Config["jobs"]![2]!["data"] = new JsonArray("content/*.{md,markdown}", "news/*.md");
        _site.Save();
        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.Equal(["posts/a.png", "posts/b.png", "posts/c.png"], BuildFixture.Rendered(report).Where(p => p.StartsWith("posts/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("slug,title\ngood,\"A good item\n", 2, 6)]
    [InlineData("slug,title\r\nok,fine\r\nbad,\"unclosed, with a comma\r\nmore\r\n", 3, 5)]
    public void ACsvFieldWhoseQuoteNeverClosesIsALocatedError(string csv, int line, int column)
    {
        _site.Write("items.csv", csv);
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("items.csv", _site.Root));
        Assert.Equal(("BI0010", line, column), (ex.Diagnostic.Code, ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("never closed", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedCsvFieldsWithQuotesAndNewlinesStillRead()
    {
        _site.Write("items.csv", "slug,title\na,\"Say \"\"hi\"\"\nthere\"\n");
        var item = Assert.Single(DataLoader.Load("items.csv", _site.Root));
        Assert.Equal("Say \"hi\"\nthere", item.Fields["title"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/")]
    public void TagsWithRelativeUrlsAreAWarningNamingTheConfig(string? baseUrl)
    {
        _site.Config["baseUrl"] = baseUrl;
        _site.Save();
        var report = _site.Build();
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0014");
        Assert.Equal(_site.ConfigFile, warning.File);
        Assert.Contains("relative URLs", warning.Message, StringComparison.Ordinal);
        Assert.Equal(13, report.Rendered);
    }

    [Fact]
    public void BlogPostDrawsNoSiteNameNobodySet()
    {
        var definition = new TemplateCatalog([Path.Combine(TestCards.RepoRoot, "templates")]).Resolve("blog-post");
        var markup = new ScribanTemplateEngine(new TemplateOptions()).Compile(definition).Evaluate(new Dictionary<string, object?> { ["title"] = "T" }, new CardSize(1200, 630)).Markup;
        Assert.DoesNotContain("Engineering Blog", markup, StringComparison.Ordinal);
        Assert.Contains("<spacer/>", markup, StringComparison.Ordinal);
    }
}
