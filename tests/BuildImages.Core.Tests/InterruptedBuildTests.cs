using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>A build killed between writing outputs and saving its manifest leaves nothing that no later build removes.</summary>
public sealed class InterruptedBuildTests : IDisposable
{
    private readonly BuildFixture _site = new();
    private readonly string _frozen = Directory.CreateTempSubdirectory("bi-killed-").FullName;

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_frozen, recursive: true);
    }

    [Fact]
    public void OutputsAKilledBuildNeverRecordedAreRemovedByTheNextBuildOnceTheirItemIsGone()
    {
        // The disk as a kill -9 would leave it: copied from inside the first output event (the file has its name, the
        // manifest is not saved: no checkpoint within the hour).
        string? orphan = null;
        string? item = null;
        var observer = new RecordingObserver(o =>
        {
            if (orphan is null && o.Status == OutputStatus.Rendered && o.Item.StartsWith("cards/", StringComparison.Ordinal))
            {
                (orphan, item) = (o.Path, o.Item["cards/".Length..]);
                Copy(_site.Root, _frozen);
            }
        });
        _site.Build(new BuildOptions { Parallelism = 1, CheckpointInterval = TimeSpan.FromHours(1) }, observer);
        Assert.NotNull(orphan);
        Assert.False(File.Exists(Path.Combine(_frozen, "site", ".buildimages-manifest.json")), "killed before any manifest save");
        Assert.True(File.Exists(Path.Combine(_frozen, "site", orphan)));
        var journal = Path.Combine(_frozen, "site", ".buildimages-manifest.pending");
        Assert.Contains(orphan, File.ReadAllText(journal), StringComparison.Ordinal);

        // The next build on that disk, after the item left the data (a hook's item, an entry deleted meanwhile).
        var items = JsonNode.Parse(File.ReadAllText(Path.Combine(_frozen, "items.json")))!.AsArray();
        items.Remove(items.Single(i => i!["slug"]!.GetValue<string>() == item));
        File.WriteAllText(Path.Combine(_frozen, "items.json"), items.ToJsonString());
        var messages = new List<string>();
        var report = new BatchBuilder(ConfigLoader.Load(Path.Combine(_frozen, "buildimages.json")), new BuildOptions { Parallelism = 2 }, new MessageLog(messages)).Run();

        Assert.Equal(0, report.Failed);
        Assert.False(File.Exists(Path.Combine(_frozen, "site", orphan)), $"{orphan} was left by the killed build");
        Assert.Contains(messages, m => m.Contains(orphan, StringComparison.Ordinal) && m.Contains("interrupted build", StringComparison.Ordinal));
        Assert.False(File.Exists(journal), "the journal goes once swept, and a saved manifest covers everything written since");
    }

    [Fact]
    public void CopiesOfEqualCardsAreCheckpointedAsTheyAreMadeSoAKillDuringCopyingKeepsThem()
    {
        // Six items that draw the same card: one renders, five are copied after every render is done.
        _site.Items.Clear();
        foreach (var slug in new[] { "a", "b", "c", "d", "e", "f" })
        {
            _site.Items.Add(BuildFixture.Item(slug, "The same title"));
        }
        _site.Save();
        var copied = new List<string>();
        var onDiskWhenCopying = new List<string>();
        var observer = new RecordingObserver(o =>
        {
            if (o.Status != OutputStatus.Deduplicated)
            {
                return;
            }
            // What a kill -9 now would leave as the manifest: the copies of the cards before this one must be in it.
            var manifest = File.Exists(_site.ManifestFile) ? File.ReadAllText(_site.ManifestFile) : string.Empty;
            onDiskWhenCopying.AddRange(copied.Where(c => !o.Item.EndsWith("/" + c, StringComparison.Ordinal) && manifest.Contains($"\"cards:og/{c}\"", StringComparison.Ordinal)));
            copied.Add(o.Item["cards/".Length..]);
        });
        var report = _site.Build(new BuildOptions { Parallelism = 1, CheckpointInterval = TimeSpan.Zero }, observer);

        Assert.Equal(15, report.Deduplicated);
        Assert.Equal(5, copied.Distinct().Count());
        // The first copied card was in the saved manifest by the time the last one was copied.
        Assert.Contains(copied[0], onDiskWhenCopying);
    }

    [Fact]
    public void AJournalLineThatNamesAFileOutsideTheOutputsOrAnotherFilesBytesRemovesNothing()
    {
        _site.Build();
        var journal = Path.Combine(_site.Site, ".buildimages-manifest.pending");
        var bystander = Path.Combine(_site.Site, "index.html");
        File.WriteAllText(bystander, "<html>the site's own page</html>");
        var outside = Path.Combine(_site.Root, "items.json");
        var sha = BuildImages.Core.Primitives.ContentHash.OfFile(bystander);
        File.WriteAllLines(journal,
        [
            $"{sha}\t{new FileInfo(bystander).Length}\tindex.html\tcards:og/x",
            $"{BuildImages.Core.Primitives.ContentHash.OfFile(outside)}\t{new FileInfo(outside).Length}\t../items.json\tcards:og/x",
            $"{new string('0', 64)}\t5\tog/alpha.webp\tcards:og/nothing",
            "not a line at all",
        ]);

        var report = _site.Build();

        Assert.True(File.Exists(bystander), "not an image BuildImages writes");
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og", "alpha.webp")), "its bytes are not the ones the line names");
        Assert.Equal(3, report.Warnings.Count(w => w.Code == "BI0031"));
        Assert.False(File.Exists(journal));
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
        }
    }

    private sealed class MessageLog(List<string> messages) : IBuildObserver
    {
        public void Planned(int outputs, int toRender)
        {
        }

        public void Output(OutputOutcome outcome)
        {
        }

        public void Diagnostic(Diagnostics.Diagnostic diagnostic)
        {
        }

        public void Message(string text)
        {
            lock (messages)
            {
                messages.Add(text);
            }
        }
    }
}
