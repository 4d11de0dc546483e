using BuildImages.Core.Build;

namespace BuildImages.Core.Tests;

/// <summary>
/// A build whose tables of an entry per item or per output are filed a chunk or a block at a time (the plan's places,
/// the outcome log's, the output paths' bytes, the record keys' bytes; small limits, so a few thousand items take that
/// path) writes the same site, report and images.json as one that holds them, and the next builds trust what it wrote.
/// </summary>
public sealed class FiledTablesBuildTests
{
    // More than a chunk of places (4,096) of items and three of outputs; one card repeated, so it is drawn once.
    private const int Items = 4_200;

    private static BuildFixture SiteOfManyItems()
    {
        var site = new BuildFixture();
        site.Items.Clear();
        for (var i = 0; i < Items; i++)
        {
            // Slugs out of their order in the data: the outputs' ids are not their path order.
            site.Items.Add(BuildFixture.Item($"post-{(i * 7_919) % Items:D4}-{i}", "The same post"));
        }
        site.Save();
        return site;
    }

    [Fact]
    public void ABuildThatFilesItsTablesWritesWhatOneThatHoldsThemWritesAndIsTrustedNextTime()
    {
        using var held = SiteOfManyItems();
        using var filed = SiteOfManyItems();
        var filing = new BuildOptions { Parallelism = 2, RecordMemoryBudget = 0, ChunksHeld = 1, OutputPathBlockBits = 10, PathOrderRunLength = 1_000 };

        var heldReport = held.Build(new BuildOptions { Parallelism = 2 });
        var filedReport = filed.Build(filing);
        Assert.Equal(0, filedReport.Failed);
        Assert.Equal((Items * 3) + 1, filedReport.Outputs.Count);
        // Which of the equal cards is drawn is whichever worker claims it first; what is written is the same.
        Assert.Equal(heldReport.Outputs.Select(o => (o.Path, o.Bytes)), filedReport.Outputs.Select(o => (o.Path, o.Bytes)));
        Assert.Equal((heldReport.Rendered, heldReport.Deduplicated), (filedReport.Rendered, filedReport.Deduplicated));
        Assert.Equal(filedReport.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal), filedReport.Outputs.Select(o => o.Path));
        Assert.Equal(File.ReadAllBytes(Path.Combine(held.Site, "images.json")), File.ReadAllBytes(Path.Combine(filed.Site, "images.json")));
        foreach (var output in filedReport.Outputs)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(held.Site, output.Path)), File.ReadAllBytes(Path.Combine(filed.Site, output.Path)));
        }

        // The up-to-date record and the stat cache it wrote from the filed tables: a no-op, every output listed.
        var noOp = filed.Build(filing);
        Assert.True(noOp.UpToDate);
        Assert.Equal(filedReport.Outputs.Select(o => o.Path), noOp.Outputs.Select(o => o.Path));

        // Without the record, the full check reads the manifest's records (keys filed too) and finds every output as written.
        File.Delete(Manifest.UpToDateRecord.PathFor(filed.ManifestFile));
        var full = filed.Build(filing);
        Assert.False(full.UpToDate);
        Assert.Equal(0, full.Rendered);
        Assert.Equal(filedReport.Outputs.Count, full.Skipped);

        // One item retitled: only its outputs are drawn again.
        filed.Items[1234]["title"] = "Another title";
        filed.Save();
        var edit = filed.Build(filing);
        Assert.Equal(3, edit.Rendered);
        Assert.Equal(filedReport.Outputs.Count - 3, edit.Skipped);
    }
}
