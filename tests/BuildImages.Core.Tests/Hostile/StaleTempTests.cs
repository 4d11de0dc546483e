using BuildImages.Core.Build;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Temp files a killed build left anywhere BuildImages writes are removed by the next build; a running writer's are kept.</summary>
public sealed class StaleTempTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private string Temp(string folder, string name, int pid)
    {
        var path = Path.Combine(_site.Site, folder, $".{name}.{pid}.0badf00d.bi-tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return path;
    }

    [Fact]
    public void TheNextBuildRemovesTempsOfDeadBuildsEvenWhenItIsANoOp()
    {
        _site.Build();
        const int dead = int.MaxValue - 7;
        var cacheTemp = Temp(string.Empty, ".buildimages-manifest.cache.json", dead);
        var live = Temp(string.Empty, "images.json", Environment.ProcessId);

        var noOp = _site.Build();

        Assert.True(noOp.UpToDate);
        Assert.False(File.Exists(cacheTemp), "a stale cache temp in the bookkeeping folder goes on the no-op path");
        Assert.True(File.Exists(live), "a temp of a running process is left alone");

        var cardTemp = Temp("og", "alpha.webp", dead);
        var noteTemp = Temp("notes", "note-1.png", dead);
        var full = _site.Build(new BuildOptions { Parallelism = 2, Force = false, Prune = true, Strict = false, Jobs = ["cards"] });

        Assert.Equal(0, full.Rendered);
        Assert.False(File.Exists(cardTemp));
        Assert.False(File.Exists(noteTemp), "folders only the manifest names are swept too");
    }
}
