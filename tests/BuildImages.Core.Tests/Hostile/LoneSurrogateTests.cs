using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>A lone UTF-16 surrogate escape is valid JSON grammar but not text: it fails its file or item at its position, never the process.</summary>
public sealed class LoneSurrogateTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void ALoneSurrogateInADataFileFailsThatFileAtItsPositionAndTheRestRender()
    {
        _site.Write("items.json", "[\n  { \"slug\": \"a\", \"title\": \"fine\" },\n  { \"slug\": \"b\", \"title\": \"bad \\ud800 here\" }\n]");

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0010", error.Code);
        Assert.EndsWith("items.json", error.File, StringComparison.Ordinal);
        Assert.Equal((3, 27), (error.Line, error.Column));
        Assert.Contains("lone UTF-16 surrogate", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(report));
    }

    [Theory]
    [InlineData("{\"slug\":\"x\",\"title\":\"\\udc00\"}", 1, 21)]
    [InlineData("{\"slug\":\"x\",\"\\ud83d\":1}", 1, 13)]
    [InlineData("[{\"title\":\"a \\ud83d\\ude00 b\"}, {\"title\":\"\\ud83d x\"}]", 1, 41)]
    public void StdinJsonWithALoneSurrogateIsALocatedError(string json, int line, int column)
    {
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.ReadJson("<stdin>", json));
        Assert.Equal(("BI0010", "<stdin>", line, column), (ex.Diagnostic.Code, ex.Diagnostic.File, ex.Diagnostic.Line, ex.Diagnostic.Column));
    }

    [Fact]
    public void AValidSurrogatePairIsText()
    {
        var items = DataLoader.ReadJson("<stdin>", "{\"slug\":\"x\",\"title\":\"a \\ud83d\\ude00 b\"}");
        Assert.Equal("a 😀 b", items[0].Fields["title"]);
    }

    [Fact]
    public void ALoneSurrogateInTheConfigurationIsALocatedSyntaxError()
    {
        var file = Path.Combine(_site.Root, "buildimages.json");
        var ex = Assert.ThrowsAny<BuildInputException>(() => ConfigLoader.Parse("{ \"baseUrl\": \"/\\ud800\" }"u8.ToArray(), file));
        Assert.Equal(("BI0001", 1, 14), (ex.Diagnostic.Code, ex.Diagnostic.Line, ex.Diagnostic.Column));
    }

    [Fact]
    public void ALoneSurrogateInYamlFailsThatFile()
    {
        _site.AddPostsJob("content/*.md");
        _site.Write("content/a.md", "---\ntitle: \"bad \\ud800\"\n---\n");
        _site.Write("content/b.md", "---\ntitle: good\n---\n");

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0010", error.Code);
        Assert.EndsWith("a.md", error.File, StringComparison.Ordinal);
        Assert.Contains("posts/b.png", BuildFixture.Rendered(report));
    }
}
