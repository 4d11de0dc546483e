using System.Text.Json.Nodes;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>What the issue asks of options that have no other test: a relocated manifest, no upscaling, stripped metadata.</summary>
public sealed class ConfigEffectTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void TheManifestCanLiveOutsideTheOutputFolderSoCiCanCacheIt()
    {
        _site.Config["manifest"] = "ci-cache/manifest.json";
        _site.Save();
        Assert.Equal(13, _site.Build().Rendered);
        Assert.True(File.Exists(Path.Combine(_site.Root, "ci-cache/manifest.json")));
        Assert.False(File.Exists(_site.ManifestFile));

        // A fresh checkout restores the cached manifest and outputs: nothing to render.
        File.Delete(Path.Combine(_site.Root, "ci-cache/.buildimages-manifest.uptodate"));
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void AVariantWiderThanTheCardIsAConfigurationErrorAtTheVariant()
    {
        _site.Config["jobs"]![0]!["variants"]!.AsArray().Add(new JsonObject { ["format"] = "webp", ["width"] = 480 });
        _site.Save();
        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build());
        Assert.Equal("BI0023", ex.Diagnostic.Code);
        Assert.Equal(_site.ConfigFile, ex.Diagnostic.File);
        Assert.True(ex.Diagnostic.Line > 1, $"line {ex.Diagnostic.Line}");
        Assert.False(Directory.Exists(Path.Combine(_site.Site, "og")), "nothing is rendered");
    }

    [Fact]
    public void OutputsCarryNoMetadata()
    {
        _site.Build();
        foreach (var path in BuildFixture.PathsOf("beta").Append("notes/note-1.png"))
        {
            var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(_site.Site, path)));
            // EXIF (JPEG APP1 "Exif", WebP "EXIF"), ICC profiles (JPEG "ICC_PROFILE", WebP "ICCP", PNG "iCCP"), XMP, PNG text.
            foreach (var marker in new[] { "Exif\0", "EXIF", "ICC_PROFILE", "ICCP", "iCCP", "XMP ", "http://ns.adobe.com/xap", "tEXt", "iTXt" })
            {
                Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            }
        }
    }
}
