using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>Files the build cannot write are errors that name them, never a crash that loses the rest.</summary>
public sealed class WriteFailureTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void AnImagesJsonThatCannotBeWrittenIsAnErrorAndTheManifestIsStillSaved()
    {
        var metadata = Path.Combine(_site.Site, "images.json");
        Directory.CreateDirectory(metadata);
        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0033", error.Code);
        Assert.Equal(metadata, error.File);
        Assert.StartsWith("could not write the site metadata", error.Message, StringComparison.Ordinal);
        Assert.Equal(13, report.Rendered);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(_site.ManifestFile)))
        {
            Assert.Equal(5, manifest.RootElement.GetProperty("cards").EnumerateObject().Count());
        }
        Assert.False(File.Exists(UpToDateRecord.PathFor(_site.ManifestFile)));

        Directory.Delete(metadata);
        var next = _site.Build();
        Assert.Empty(next.Errors);
        Assert.Equal(0, next.Rendered);
        Assert.True(File.Exists(metadata));
    }

    [Fact]
    public void AnOutputFolderThatIsAFileIsAConfigurationErrorBeforeAnythingIsWritten()
    {
        File.WriteAllText(_site.Site, "not a folder");
        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build());
        Assert.Equal("BI0004", ex.Diagnostic.Code);
        Assert.Contains("is a file, not a folder", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(_site.ConfigFile, ex.Diagnostic.File);
        Assert.Equal("not a folder", File.ReadAllText(_site.Site));
    }
}
