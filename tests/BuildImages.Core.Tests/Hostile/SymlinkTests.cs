using System.Text.Json.Nodes;
using BuildImages.Core.Build;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>A folder in the output folder that is a symbolic link to elsewhere is never written or pruned through.</summary>
public sealed class SymlinkTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private string Elsewhere => Path.Combine(_site.Root, "elsewhere");

    [Fact]
    public void AJobWhoseFolderIsALinkOutsideFailsOnceAndWritesNothingThere()
    {
        Directory.CreateDirectory(Elsewhere);
        Directory.CreateDirectory(_site.Site);
        Directory.CreateSymbolicLink(Path.Combine(_site.Site, "og"), Elsewhere);

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0024", error.Code);
        Assert.Equal(_site.ConfigFile, error.File);
        Assert.True(error.Line > 0 && error.Column > 0);
        Assert.Contains("job 'cards'", error.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Elsewhere));
        // The other job is not affected.
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(report));
    }

    [Fact]
    public void OutputsMovedBehindALinkAreNotPrunedThere()
    {
        _site.Build();
        Directory.Move(Path.Combine(_site.Site, "og"), Elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(_site.Site, "og"), Elsewhere);
        var before = Directory.GetFiles(Elsewhere).Order(StringComparer.Ordinal).ToArray();
        _site.Items.RemoveAt(0);
        _site.Save();

        var report = _site.Build();

        Assert.Equal(before, Directory.GetFiles(Elsewhere).Order(StringComparer.Ordinal).ToArray());
        Assert.DoesNotContain(report.Outputs, o => o.Status == OutputStatus.Pruned);
        Assert.Equal("BI0024", Assert.Single(report.Errors).Code);
    }

    [Fact]
    public void ALinkInsideTheOutputFolderThatStaysInsideIsAllowed()
    {
        Directory.CreateDirectory(Path.Combine(_site.Site, "real-og"));
        Directory.CreateSymbolicLink(Path.Combine(_site.Site, "og"), Path.Combine(_site.Site, "real-og"));

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.True(File.Exists(Path.Combine(_site.Site, "real-og", "alpha.webp")));
    }

    [Fact]
    public void AnOutputDirThatIsItselfALinkIsAllowed()
    {
        Directory.CreateDirectory(Elsewhere);
        Directory.CreateSymbolicLink(_site.Site, Elsewhere);

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.True(File.Exists(Path.Combine(Elsewhere, "og", "alpha.webp")));
    }

    [Fact]
    public void AStaleRecordWhoseFileIsBehindALinkIsNotDeleted()
    {
        _site.Build();
        Directory.CreateDirectory(Elsewhere);
        File.Copy(Path.Combine(_site.Site, "notes", "note-1.png"), Path.Combine(Elsewhere, "note-1.png"));
        Directory.CreateSymbolicLink(Path.Combine(_site.Site, "linked"), Elsewhere);
        var manifest = JsonNode.Parse(File.ReadAllText(_site.ManifestFile))!.AsObject();
        var record = manifest["cards"]!["notes:notes/note-1"]!.DeepClone().AsObject();
        // Planted without a check, as records written before checks existed are (and as anyone can write one).
        record.Remove("check");
        record["item"] = "gone";
        record["output"] = "linked/note-1";
        record["variants"]![0]!["path"] = "linked/note-1.png";
        record["variants"]![0]!["file"] = "linked/note-1.png";
        manifest["cards"]!["notes:linked/note-1"] = record;
        File.WriteAllText(_site.ManifestFile, manifest.ToJsonString());

        var report = _site.Build();

        Assert.True(File.Exists(Path.Combine(Elsewhere, "note-1.png")));
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0032");
        Assert.Contains("symbolic link", warning.Message, StringComparison.Ordinal);
    }
}
