using System.Text.Json.Nodes;
using BuildImages.Core.Primitives;
using BuildImages.Core.Build;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>
/// The no-op fast path: a build confirmed from the last build's record must report exactly what the full check
/// would, and must give way to the full check whenever anything that decides the plan or an output changed.
/// </summary>
public sealed class UpToDateTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private string RecordFile => UpToDateRecord.PathFor(_site.ManifestFile);

    [Fact]
    public void ASecondBuildIsConfirmedFromTheRecordAndReportsWhatTheFullCheckReports()
    {
        var first = _site.Build();
        Assert.False(first.UpToDate);
        Assert.True(File.Exists(RecordFile));
        var observer = new RecordingObserver();
        var fast = _site.Build(observer: observer);
        Assert.True(fast.UpToDate);
        Assert.Equal((0, 13), (fast.Rendered, fast.Skipped));
        Assert.Equal(13, observer.Outputs.Count(o => o.Status == OutputStatus.Skipped));
        Assert.Equal(0, fast.Stages["plan"]);

        // The same report as the full check gives (the record is what a forced full check compares against).
        File.Delete(RecordFile);
        var full = _site.Build();
        Assert.False(full.UpToDate);
        Assert.Equal(full.Outputs, fast.Outputs);
        Assert.Equal(first.Outputs.Select(o => (o.Path, o.Item, o.Width, o.Height, o.Format, o.Bytes, o.Key)), fast.Outputs.Select(o => (o.Path, o.Item, o.Width, o.Height, o.Format, o.Bytes, o.Key)));
        Assert.Contains("up to date", fast.Summary(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Changes() =>
    [
        "title edited",
        "output altered, same size",
        "output deleted",
        "partial edited",
        "logo edited",
        "manifest replaced by an older copy",
        "images.json deleted",
        "font added to the font folder",
        "config edited",
        "record corrupt",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnyChangeTakesTheFullCheckWhichRendersWhatChanged(string change)
    {
        _site.Build();
        var older = File.ReadAllBytes(_site.ManifestFile);
        var expected = Change(change, older);
        var report = _site.Build();
        Assert.False(report.UpToDate, change);
        Assert.Equal(expected, BuildFixture.Rendered(report));
        Assert.Empty(report.Errors);
        Assert.True(File.Exists(Path.Combine(_site.Site, "images.json")));

        // And the build after it is confirmed from the new record again.
        var after = _site.Build();
        Assert.True(after.UpToDate, change);
        Assert.Equal(0, after.Rendered);
    }

    /// <summary>Makes the change; returns the outputs the full check must render.</summary>
    private string[] Change(string change, byte[] olderManifest)
    {
        switch (change)
        {
            case "title edited":
                _site.Items[0]["title"] = "Alpha, edited";
                _site.Save();
                return BuildFixture.PathsOf("alpha");
            case "output altered, same size":
                var file = Path.Combine(_site.Site, "og", "beta.webp");
                var bytes = File.ReadAllBytes(file);
                bytes[^1] ^= 0xFF;
                File.WriteAllBytes(file, bytes);
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
                return ["og/beta.webp"];
            case "output deleted":
                File.Delete(Path.Combine(_site.Site, "og", "gamma.jpg"));
                return ["og/gamma.jpg"];
            case "partial edited":
                _site.Write("tpl/mini/partials/footer.sbn", """<text font-size="12" color="#ef4444">{{ default site "example.com" }}</text>""");
                return [.. new[] { "alpha", "beta", "gamma", "delta" }.SelectMany(BuildFixture.PathsOf).Order(StringComparer.Ordinal)];
            case "logo edited":
                _site.Write("assets/logo.svg", """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#10b981"/></svg>""");
                return BuildFixture.PathsOf("beta");
            case "manifest replaced by an older copy":
                // CI restores a cached manifest from before the last build: its records, not the record's, decide.
                _site.Items[3]["title"] = "Delta, edited";
                _site.Save();
                Assert.Equal(BuildFixture.PathsOf("delta"), BuildFixture.Rendered(_site.Build()));
                File.WriteAllBytes(_site.ManifestFile, olderManifest);
                return BuildFixture.PathsOf("delta");
            case "images.json deleted":
                File.Delete(Path.Combine(_site.Site, "images.json"));
                return [];
            case "font added to the font folder":
                // The font folder's file list is part of every key (a new face can change which font draws a card).
                File.Copy(Path.Combine(_site.Root, "fonts", "pacifico.woff"), Path.Combine(_site.Root, "fonts", "pacifico-copy.woff"));
                return [.. new[] { "alpha", "beta", "gamma", "delta" }.SelectMany(BuildFixture.PathsOf).Append("notes/note-1.png").Order(StringComparer.Ordinal)];
            case "config edited":
                _site.Config["jobs"]![1]!["data"]![0]!["title"] = "First note, edited";
                _site.Save();
                return ["notes/note-1.png"];
            case "record corrupt":
                File.WriteAllBytes(RecordFile, [0x13, 0x62, 0x75, 0x69, 0x6C, 0x64]);
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }

    [Fact]
    public void ANewMarkdownFileInADataGlobIsANewItem()
    {
        _site.Write("posts/one.md", "---\ntitle: One\n---\nBody.");
        _site.AddPostsJob("posts/*.md");
        _site.Build();
        Assert.True(_site.Build().UpToDate);
        _site.Write("posts/two.md", "---\ntitle: Two\n---\nBody.");
        var report = _site.Build();
        Assert.False(report.UpToDate);
        Assert.Equal(["posts/two.png"], BuildFixture.Rendered(report));
    }

    [Fact]
    public void PostsTwoJobsGlobAreListedOnceInTheRecordAndAnEditIsSeenByBoth()
    {
        _site.Write("posts/one.md", "---\ntitle: One\n---\nBody.");
        _site.Write("posts/deep/two.md", "---\ntitle: Two\n---\nBody.");
        _site.AddPostsJob("posts/**/*.md");
        // A second job over the same posts (another card of each), and a third whose glob overlaps the first's.
        var jobs = _site.Config["jobs"]!.AsArray();
        jobs.Add(new JsonObject { ["name"] = "twins", ["template"] = "tpl/plain", ["data"] = "posts/**/*.md", ["output"] = "twins/{{ slug }}", ["variants"] = new JsonArray(new JsonObject { ["format"] = "png" }) });
        jobs.Add(new JsonObject { ["name"] = "top", ["template"] = "tpl/plain", ["data"] = "posts/*.md", ["output"] = "top/{{ slug }}", ["variants"] = new JsonArray(new JsonObject { ["format"] = "png" }) });
        _site.Save();
        _site.Build();

        var keys = UpToDateRecord.Load(RecordFile)!.Files.Select(f => f.Key).ToList();
        Assert.Equal(keys.Distinct().Count(), keys.Count);
        // The data files as globbed, job by job, each once; then the outputs' other files.
        Assert.Equal(["items.json", "posts/deep/two.md", "posts/one.md"], keys.Take(3));
        Assert.Contains(keys.Skip(3), k => k.StartsWith("tpl/plain/", StringComparison.Ordinal));
        Assert.True(_site.Build().UpToDate);

        _site.Write("posts/deep/two.md", "---\ntitle: Two, edited\n---\nBody.");
        var edited = _site.Build();
        Assert.False(edited.UpToDate);
        // The twin's card is the same picture: copied from the first, not drawn again. Nothing else is touched.
        Assert.Equal(["posts/two.png", "twins/two.png"], edited.Outputs.Where(o => o.Status is not OutputStatus.Skipped).Select(o => o.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["posts/two.png"], BuildFixture.Rendered(edited));
        Assert.True(_site.Build().UpToDate);
    }

    [Fact]
    public void ABuildThatPlansTakesEachUnchangedPostsHashFromTheLastRecordNotFromTheFile()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            _site.Write($"posts/{name}.md", $"---\ntitle: Post {name}\n---\nBody.");
        }
        _site.AddPostsJob("posts/*.md");
        _site.Build();
        var before = UpToDateRecord.Load(RecordFile)!.Files.ToDictionary(f => f.Key, f => f.File);

        // b is edited; a and d are changed behind the build's back, their size and time kept: a file whose stamp is
        // unchanged is not read again, so their last hashes (found in the record, before and after b) stay.
        _site.Write("posts/b.md", "---\ntitle: Post b, edited\n---\nBody.");
        foreach (var name in new[] { "a", "d" })
        {
            var file = Path.Combine(_site.Root, $"posts/{name}.md");
            var time = File.GetLastWriteTimeUtc(file);
            File.WriteAllText(file, File.ReadAllText(file).Replace("Body.", "Bxdy.", StringComparison.Ordinal));
            File.SetLastWriteTimeUtc(file, time);
        }
        var edited = _site.Build();

        Assert.Contains("posts/b.png", BuildFixture.Rendered(edited));
        var after = UpToDateRecord.Load(RecordFile)!.Files.ToDictionary(f => f.Key, f => f.File);
        Assert.Equal(before["posts/a.md"], after["posts/a.md"]);
        Assert.Equal(before["posts/d.md"], after["posts/d.md"]);
        Assert.Equal(before["posts/c.md"], after["posts/c.md"]);
        Assert.False(before["posts/b.md"].SameContent(after["posts/b.md"]));
        Assert.NotEqual(ContentHash.OfFile(Path.Combine(_site.Root, "posts/a.md")), after["posts/a.md"].Sha256);
    }

    [Fact]
    public void ATemplateSizeChangeReachesJobsThatTakeTheTemplatesSize()
    {
        _site.Write("tpl/sized/card.sbn", """<card width="{{ card.width }}" height="{{ card.height }}" background="#0ea5e9"/>""");
        _site.Write("tpl/sized/template.json", """{ "sizes": ["300x150"] }""");
        _site.AddPostsJob("posts/*.md", template: "tpl/sized");
        _site.Write("posts/one.md", "---\ntitle: One\n---\n");
        _site.Build();
        Assert.True(_site.Build().UpToDate);
        _site.Write("tpl/sized/template.json", """{ "sizes": ["320x160"] }""");
        var report = _site.Build();
        Assert.False(report.UpToDate);
        var output = Assert.Single(report.Outputs, o => o.Status == OutputStatus.Rendered);
        Assert.Equal((320, 160), (output.Width, output.Height));
    }

    [Fact]
    public void TouchingADataFileStillConfirmsAndRecordsTheNewTime()
    {
        _site.Build();
        var items = Path.Combine(_site.Root, "items.json");
        File.SetLastWriteTimeUtc(items, DateTime.UtcNow.AddMinutes(5));
        var recordTime = File.GetLastWriteTimeUtc(RecordFile);
        var touched = _site.Build();
        Assert.True(touched.UpToDate);
        Assert.Equal(0, touched.Rendered);
        Assert.NotEqual(recordTime, File.GetLastWriteTimeUtc(RecordFile));
        var record = UpToDateRecord.Load(RecordFile)!;
        Assert.Contains(record.Files, f => f.Key == "items.json" && f.File.ModifiedTicks == File.GetLastWriteTimeUtc(items).Ticks);
    }

    [Fact]
    public void TheBundledNativeLibrariesAreStampedSoTheRecordsVersionsAreTakenWithoutLoadingThem()
    {
        // The libraries our packages bring are found where the host put them (bin/runtimes/RID/native): a stamp, not
        // none (with none, every no-op loaded libvips, Skia and HarfBuzz to read their versions).
        var (_, native) = EngineStamp.Current(null);
        Assert.True(native.Stamp.Length > 0, "no stamp for the bundled native libraries");
        // With that stamp, the recorded versions are the ones used; with another, the libraries' own.
        var (taken, _) = EngineStamp.Current(new NativeRecord(native.Stamp, "vips 0.0.0; skia 0.0; harfbuzz 0.0"));
        var (read, _) = EngineStamp.Current(new NativeRecord("another stamp", "vips 0.0.0; skia 0.0; harfbuzz 0.0"));
        Assert.Contains("vips 0.0.0; skia 0.0; harfbuzz 0.0", taken, StringComparison.Ordinal);
        Assert.DoesNotContain("vips 0.0.0", read, StringComparison.Ordinal);
    }

    [Fact]
    public void ANoOpKeepsTheNativeLibrariesNewStampSoTheNextNeedNotLoadThem()
    {
        _site.Build();
        var record = UpToDateRecord.Load(RecordFile)!;
        var current = record.Native;
        // As a record written before the bundled libraries were stamped: the same versions, no stamp.
        new UpToDateRecord { Fingerprint = record.Fingerprint, ListedPrint = record.ListedPrint, Folders = record.Folders, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = current with { Stamp = string.Empty }, Files = record.Files, Outputs = [.. record.Outputs] }.Save(RecordFile);

        var noOp = _site.Build();

        Assert.True(noOp.UpToDate);
        Assert.NotEqual(string.Empty, current.Stamp);
        Assert.Equal(current, UpToDateRecord.Load(RecordFile)!.Native);
    }

    [Fact]
    public void ListedFilesAreWhatTheManifestNamesOnTheFullPathAndTheFastPath()
    {
        var full = _site.Build(new BuildOptions { ListFiles = true });
        var fast = _site.Build(new BuildOptions { ListFiles = true });
        Assert.False(full.UpToDate);
        Assert.True(fast.UpToDate);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_site.ManifestFile));
        var recorded = manifest.RootElement.GetProperty("cards").EnumerateObject()
            .SelectMany(c => c.Value.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("file").GetString()!))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(13, recorded.Count);
        Assert.Equal(recorded, full.RecordedFiles);
        Assert.Equal(recorded, fast.RecordedFiles);
        Assert.Contains(Path.Combine(_site.Root, "items.json"), full.InputFiles);
        Assert.Contains(full.InputFiles, f => f.EndsWith("card.sbn", StringComparison.Ordinal));
        Assert.Equal(full.InputFiles, fast.InputFiles);
        Assert.Empty(_site.Build().RecordedFiles);
    }

    [Fact]
    public void ADryRunAfterATouchConfirmsWithoutWritingTheRecord()
    {
        _site.Build();
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "items.json"), DateTime.UtcNow.AddMinutes(5));
        var before = File.ReadAllBytes(RecordFile);
        var recordTime = File.GetLastWriteTimeUtc(RecordFile);
        var dry = _site.Build(new BuildOptions { DryRun = true });
        Assert.True(dry.UpToDate);
        Assert.Equal(before, File.ReadAllBytes(RecordFile));
        Assert.Equal(recordTime, File.GetLastWriteTimeUtc(RecordFile));
        // The next real build still sees the touch and records it.
        Assert.True(_site.Build().UpToDate);
        Assert.NotEqual(before, File.ReadAllBytes(RecordFile));
    }

    [Fact]
    public void ABuildWithAFailedItemLeavesNoRecordSoTheNextBuildTriesItAgain()
    {
        _site.Build();
        _site.Items.Add(BuildFixture.Item("broken", "Broken", logo: "assets/missing.png"));
        _site.Save();
        Assert.Equal(1, _site.Build().Failed);
        Assert.False(File.Exists(RecordFile));
        var again = _site.Build();
        Assert.False(again.UpToDate);
        Assert.Equal(1, again.Failed);
        Assert.Equal("cards/broken", Assert.Single(again.Errors).Item);
    }

    [Fact]
    public void ForceJobsAndDryRunNeverUseTheRecord()
    {
        _site.Build();
        Assert.Equal(13, _site.Build(new BuildOptions { Force = true }).Rendered);
        var onlyNotes = _site.Build(new BuildOptions { Jobs = ["notes"] });
        Assert.False(onlyNotes.UpToDate);
        Assert.Equal(["notes/note-1.png"], onlyNotes.Outputs.Select(o => o.Path));
        Assert.True(_site.Build(new BuildOptions { Jobs = ["notes"] }).UpToDate);
        var all = _site.Build();
        Assert.False(all.UpToDate);
        Assert.Equal(13, all.Skipped);
        var dry = _site.Build(new BuildOptions { DryRun = true });
        Assert.True(dry.UpToDate);
        Assert.Equal(0, dry.Rendered);
    }

    [Fact]
    public void AGlobsFileListIsTakenFromTheRecordWhileItsFoldersListTheSameEntries()
    {
        _site.Write("posts/one.md", "---\ntitle: One\n---\n");
        _site.Write("posts/two.md", "---\ntitle: Two\n---\n");
        _site.AddPostsJob("posts/*.md");
        _site.Build();
        // The first build made the output folder in the base folder, which the glob reads: the first no-op globs once.
        Assert.True(_site.Build().UpToDate);
        var record = UpToDateRecord.Load(RecordFile)!;
        var posts = Path.Combine(_site.Root, "posts");
        Assert.Equal(Data.FolderListings.Current(posts), record.Folders!["posts"]);
        // A print no glob would give: while the folders list what they listed, the no-op never globs to find it out.
        Planted(record, "planted");
        Assert.True(_site.Build().UpToDate);

        // A file the glob does not match: the folder lists another entry, so the no-op globs, and the planted print
        // no longer stands. The full check renders nothing and records the true print.
        _site.Write("posts/notes.txt", "not a post");
        var full = _site.Build();
        Assert.False(full.UpToDate);
        Assert.Equal(0, full.Rendered);
        Assert.NotEqual("planted", UpToDateRecord.Load(RecordFile)!.ListedPrint);
        Assert.True(_site.Build().UpToDate);
    }

    [Fact]
    public void AFolderListingOtherEntriesWithTheSameMatchesIsGlobbedOnceThenRecordedAnew()
    {
        _site.Write("posts/one.md", "---\ntitle: One\n---\n");
        _site.AddPostsJob("posts/*.md");
        _site.Build();
        var posts = Path.Combine(_site.Root, "posts");
        var before = UpToDateRecord.Load(RecordFile)!.Folders!["posts"];

        _site.Write("posts/notes.txt", "not a post");
        var noOp = _site.Build();

        Assert.True(noOp.UpToDate);
        var after = UpToDateRecord.Load(RecordFile)!.Folders!["posts"];
        Assert.NotEqual(before, after);
        Assert.Equal(Data.FolderListings.Current(posts), after);
        // Nothing changed since: the next no-op neither globs nor writes the record. (A rewrite would give the same bytes,
        // the listing being the same: the file's time tells whether it was written.)
        var bytes = File.ReadAllBytes(RecordFile);
        var written = File.GetLastWriteTimeUtc(RecordFile);
        Assert.True(_site.Build().UpToDate);
        Assert.Equal(bytes, File.ReadAllBytes(RecordFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(RecordFile));
    }

    public static TheoryData<string> ListingChanges() =>
    [
        "post deleted",
        "post renamed",
        "post turned into a folder",
        "post added in a new subfolder",
        "hidden post added",
    ];

    [Theory]
    [MemberData(nameof(ListingChanges))]
    public void AChangeToWhatTheGlobMatchesIsSeenByTheNoOp(string change)
    {
        _site.Write("posts/one.md", "---\ntitle: One\n---\n");
        _site.Write("posts/2024/two.md", "---\ntitle: Two\n---\n");
        _site.AddPostsJob("posts/**/*.md");
        Assert.Equal(["posts/one.png", "posts/two.png"], Posts(_site.Build()));
        Assert.True(_site.Build().UpToDate);
        var one = Path.Combine(_site.Root, "posts", "one.md");
        string[] rendered;
        switch (change)
        {
            case "post deleted":
                File.Delete(one);
                rendered = [];
                break;
            case "post renamed":
                File.Move(one, Path.Combine(_site.Root, "posts", "uno.md"));
                rendered = ["posts/uno.png"];
                break;
            case "post turned into a folder":
                File.Delete(one);
                Directory.CreateDirectory(one);
                rendered = [];
                break;
            case "post added in a new subfolder":
                _site.Write("posts/2025/three.md", "---\ntitle: Three\n---\n");
                rendered = ["posts/three.png"];
                break;
            case "hidden post added":
                _site.Write("posts/2024/.four.md", "---\ntitle: Four\nslug: four\n---\n");
                rendered = ["posts/four.png"];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        var report = _site.Build();

        Assert.False(report.UpToDate);
        Assert.Equal(rendered, Posts(report));
        var gone = change is "post deleted" or "post renamed" or "post turned into a folder";
        Assert.Equal(gone ? OutputStatus.Pruned : OutputStatus.Skipped, report.Outputs.Single(o => o.Path == "posts/one.png").Status);
        Assert.Equal(!gone, File.Exists(Path.Combine(_site.Site, "posts", "one.png")));
        Assert.True(_site.Build().UpToDate);
    }

    private static IEnumerable<string> Posts(BuildReport report) => BuildFixture.Rendered(report).Where(p => p.StartsWith("posts/", StringComparison.Ordinal));

    /// <summary>Saves the record again with another file-list print, everything else as it was.</summary>
    private void Planted(UpToDateRecord record, string listedPrint) =>
        new UpToDateRecord
        {
            Fingerprint = record.Fingerprint, ListedPrint = listedPrint, Folders = record.Folders, ManifestStamp = record.ManifestStamp,
            MetadataStamp = record.MetadataStamp, Native = record.Native, Files = [.. record.Files], Outputs = [.. record.Outputs],
        }.Save(RecordFile);
}
