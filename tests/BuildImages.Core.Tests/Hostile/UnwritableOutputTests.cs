using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>An output folder that cannot be written is one error before any card is drawn, not one per card after each is encoded.</summary>
public sealed class UnwritableOutputTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void AnUnwritableOutputDirFailsOnceBeforeDrawing()
    {
        // /proc refuses new entries even to root (CI runs as root, for whom a chmod 555 folder is still writable).
        var unwritable = "/proc/buildimages-test-out";
        _site.Config["outputDir"] = unwritable;
        _site.Config["manifest"] = Path.Combine(_site.Root, "manifest.json");
        _site.Save();
        var observer = new RecordingObserver();

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build(observer: observer));

        Assert.Equal("BI0033", ex.Diagnostic.Code);
        Assert.Contains(unwritable, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(_site.ConfigFile, ex.Diagnostic.File);
        Assert.Empty(observer.Outputs);
        Assert.False(File.Exists(Path.Combine(_site.Root, "manifest.json")));
    }
}
