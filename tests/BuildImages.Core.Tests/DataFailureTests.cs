using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>A data file that is missing or malformed fails its own items only: the rest render, its earlier outputs stay.</summary>
public sealed class DataFailureTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public DataFailureTests()
    {
        _site.AddPostsJob("content/*.md", size: "200x100");
        foreach (var slug in new[] { "a", "b", "c" })
        {
            _site.Write($"content/{slug}.md", $"---\ntitle: Post {slug}\n---\nBody of {slug}.\n");
        }
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public void AMalformedMarkdownFileFailsAloneAndKeepsItsLastGoodOutput()
    {
        Assert.Equal(13 + 3, _site.Build().Rendered);
        var bOutput = Path.Combine(_site.Site, "posts/b.png");
        var bBytes = File.ReadAllBytes(bOutput);

        _site.Write("content/b.md", "---\ntitle: \"Unclosed\nslug: [b\n---\nBody.\n");
        _site.Write("content/a.md", "---\ntitle: Post a, edited\n---\nBody of a.\n");
        var broken = _site.Build();

        var error = Assert.Single(broken.Errors);
        Assert.Equal("BI0010", error.Code);
        Assert.EndsWith("b.md", error.File, StringComparison.Ordinal);
        Assert.True(error.Line >= 2 && error.Column > 0, $"located at {error.Line}:{error.Column}");
        Assert.Contains("job 'posts'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, broken.Failed);
        Assert.Equal(["posts/a.png"], BuildFixture.Rendered(broken));
        // Its items are unknown this build: the earlier card is neither pruned nor dropped from the manifest or images.json.
        Assert.Equal(bBytes, File.ReadAllBytes(bOutput));
        Assert.DoesNotContain(broken.Outputs, o => o.Status == OutputStatus.Pruned);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(_site.ManifestFile)))
        {
            Assert.True(manifest.RootElement.GetProperty("cards").TryGetProperty("posts:posts/b", out _));
        }
        Assert.Contains("posts/b.png", File.ReadAllText(Path.Combine(_site.Site, "images.json")), StringComparison.Ordinal);
        Assert.False(File.Exists(UpToDateRecord.PathFor(_site.ManifestFile)));

        _site.Write("content/b.md", "---\ntitle: Post b, mended\n---\nBody.\n");
        var mended = _site.Build();
        Assert.Empty(mended.Errors);
        Assert.Equal(["posts/b.png"], BuildFixture.Rendered(mended));
    }

    [Fact]
    public void ADeletedMarkdownFileIsStillPruned()
    {
        _site.Build();
        _site.Write("content/b.md", "---\ntitle: [unclosed\n---\n");
        File.Delete(Path.Combine(_site.Root, "content/c.md"));
        var report = _site.Build();
        Assert.Equal(["posts/c.png"], report.Outputs.Where(o => o.Status == OutputStatus.Pruned).Select(o => o.Path));
        Assert.False(File.Exists(Path.Combine(_site.Site, "posts/c.png")));
        Assert.True(File.Exists(Path.Combine(_site.Site, "posts/b.png")));
    }

    [Fact]
    public void AMissingDataFileFailsItsJobAndTheOtherJobsStillRender()
    {
        _site.Build();
        File.Delete(Path.Combine(_site.Root, "items.json"));
        _site.Config["jobs"]![1]!["data"]![0]!["title"] = "First note, edited";
        _site.Save();
        File.Delete(Path.Combine(_site.Root, "items.json"));
        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0011", error.Code);
        Assert.Contains("items.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(report));
        Assert.All(BuildFixture.PathsOf("alpha"), p => Assert.True(File.Exists(Path.Combine(_site.Site, p)), p));
        Assert.Equal(1, report.Failed);
    }

    [Fact]
    public void AGlobThatMatchesNothingIsAWarningAtTheJob()
    {
        _site.Build();
        _site.Config["jobs"]![2]!["data"] = "contnet/*.md";
        _site.Save();
        var report = _site.Build();
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0012");
        Assert.Contains("'contnet/*.md' matched no files", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith("buildimages.json", warning.File, StringComparison.Ordinal);
        Assert.True(warning.Line > 1, $"line {warning.Line}");
        Assert.Equal(0, report.Failed);
        Assert.Empty(report.Errors);
    }
}
