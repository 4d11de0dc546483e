using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Encoders;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>The batch build's skip-by-hash contract: what re-renders, what does not, and why.</summary>
public sealed class BatchBuildTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void FirstBuildWritesEveryVariantAndSecondRendersNothing()
    {
        var first = _site.Build();
        Assert.Empty(first.Errors);
        Assert.Equal(4 * 3 + 1, first.Rendered);
        Assert.All(first.Outputs, o => Assert.Equal("new item", o.Reason));
        foreach (var path in BuildFixture.PathsOf("alpha").Append("notes/note-1.png"))
        {
            Assert.True(File.Exists(Path.Combine(_site.Site, path)), path);
        }
        var small = VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(_site.Site, "og/alpha-120.webp")));
        Assert.Equal((120, 63), (small.Width, small.Height));
        var manifestTime = File.GetLastWriteTimeUtc(_site.ManifestFile);
        var metadataTime = File.GetLastWriteTimeUtc(Path.Combine(_site.Site, "images.json"));

        var second = _site.Build();
        Assert.Equal(0, second.Rendered);
        Assert.Equal(13, second.Skipped);
        Assert.Equal(13, second.Cost.RendersAvoided);
        Assert.Equal(manifestTime, File.GetLastWriteTimeUtc(_site.ManifestFile));
        Assert.Equal(metadataTime, File.GetLastWriteTimeUtc(Path.Combine(_site.Site, "images.json")));
    }

    [Fact]
    public void EditingOneTitleRerendersThatItemsVariantsOnly()
    {
        _site.Build();
        _site.Items[1]["title"] = "Beta, edited";
        _site.Save();
        var report = _site.Build();
        Assert.Equal(BuildFixture.PathsOf("beta"), BuildFixture.Rendered(report));
        Assert.Equal("data field 'title' changed", BuildFixture.Reason(report, "og/beta.webp"));
    }

    [Fact]
    public void EditingTheTemplateOrItsPartialRerendersTheItemsOfThatTemplateOnly()
    {
        _site.Build();
        _site.Write("tpl/mini/partials/footer.sbn", """<text font-size="12" color="#f87171">{{ default site "example.org" }}</text>""");
        var report = _site.Build();
        Assert.Equal(12, report.Rendered);
        Assert.DoesNotContain("notes/note-1.png", BuildFixture.Rendered(report));
        Assert.Equal("template file tpl/mini/partials/footer.sbn changed", BuildFixture.Reason(report, "og/alpha.webp"));

        _site.Write("tpl/plain/card.sbn", File.ReadAllText(Path.Combine(_site.Root, "tpl/plain/card.sbn")).Replace("#fef3c7", "#dbeafe", StringComparison.Ordinal));
        var plain = _site.Build();
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(plain));
        Assert.Equal("template file tpl/plain/card.sbn changed", BuildFixture.Reason(plain, "notes/note-1.png"));
    }

    [Fact]
    public void ReplacingAFontFileRerendersOnlyTheItemsThatUseIt()
    {
        _site.Build();
        // Same family, other bytes: the WOFF2 build of Pacifico.
        File.Copy(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "woff2", "pacifico-latin-400-normal.woff2"), Path.Combine(_site.Root, "fonts", "pacifico.woff"), overwrite: true);
        var report = _site.Build();
        Assert.Equal(BuildFixture.PathsOf("gamma"), BuildFixture.Rendered(report));
        Assert.Equal("font file fonts/pacifico.woff changed", BuildFixture.Reason(report, "og/gamma.jpg"));
    }

    [Fact]
    public void EditingTheLogoRerendersOnlyTheItemsThatShowIt()
    {
        _site.Build();
        _site.Write("assets/logo.svg", """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#22c55e"/></svg>""");
        var report = _site.Build();
        Assert.Equal(BuildFixture.PathsOf("beta"), BuildFixture.Rendered(report));
        Assert.Equal("asset file assets/logo.svg changed", BuildFixture.Reason(report, "og/beta-120.webp"));
    }

    [Fact]
    public void TouchingFilesWithoutChangingThemRendersNothing()
    {
        _site.Build();
        var later = DateTime.UtcNow.AddMinutes(5);
        foreach (var file in new[] { "tpl/mini/card.sbn", "tpl/mini/partials/footer.sbn", "fonts/pacifico.woff", "assets/logo.svg", "items.json", "site/og/alpha.webp" })
        {
            File.SetLastWriteTimeUtc(Path.Combine(_site.Root, file), later);
        }
        var report = _site.Build();
        Assert.Equal(0, report.Rendered);
        // The touched files were hashed once; the machine-local cache holds their new times (the manifest holds no
        // times at all), so a third build hashes nothing.
        var ticks = later.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(ticks, File.ReadAllText(Path.ChangeExtension(_site.ManifestFile, ".cache.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(ticks, File.ReadAllText(_site.ManifestFile), StringComparison.Ordinal);
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void DeletedOrAlteredOutputsAreRenderedAgain()
    {
        _site.Build();
        File.Delete(Path.Combine(_site.Site, "og/alpha.webp"));
        File.WriteAllBytes(Path.Combine(_site.Site, "og/delta.jpg"), [1, 2, 3]);
        var report = _site.Build();
        Assert.Equal(["og/alpha.webp", "og/delta.jpg"], BuildFixture.Rendered(report));
        Assert.Equal("output missing", BuildFixture.Reason(report, "og/alpha.webp"));
        Assert.Equal("output altered since it was written", BuildFixture.Reason(report, "og/delta.jpg"));
        Assert.Equal(240, VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(_site.Site, "og/delta.jpg"))).Width);
    }

    [Fact]
    public void ACorruptManifestGivesAWarningAndAFullRebuild()
    {
        _site.Build();
        File.WriteAllText(_site.ManifestFile, "{ \"format\": \"buildimages-manifest\", \"version\": 1, \"cards\": [tru");
        var report = _site.Build();
        Assert.Equal(13, report.Rendered);
        Assert.Contains(report.Warnings, w => w.Code == "BI0031" && w.File == _site.ManifestFile);
        Assert.Equal(0, _site.Build().Rendered);

        File.WriteAllText(_site.ManifestFile, """{ "format": "buildimages-manifest", "version": 99 }""");
        var newer = _site.Build();
        Assert.Equal(13, newer.Rendered);
        Assert.Contains(newer.Warnings, w => w.Message.Contains("version 99", StringComparison.Ordinal));
    }

    [Fact]
    public void IdenticalItemsRenderOnceAndTheRestAreCopies()
    {
        _site.Items.Add(BuildFixture.Item("alpha-copy", "Alpha post"));
        _site.Save();
        var report = _site.Build();
        Assert.Equal(13, report.Rendered);
        Assert.Equal(3, report.Deduplicated);
        foreach (var (a, b) in BuildFixture.PathsOf("alpha").Zip(BuildFixture.PathsOf("alpha-copy")))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_site.Site, a)), File.ReadAllBytes(Path.Combine(_site.Site, b)));
        }
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void CopiesOfACardAlreadyDrawnAreMadeAtOnceAndEqualTheOnesMadeAfterRendering()
    {
        // One worker, in plan order: the copy right after its owner starts while the owner's encodes still run (queued to
        // the copy stage); the later ones find the owner recorded and are copied by the worker at once, before zeta.
        _site.Items.Insert(1, BuildFixture.Item("alpha-copy-1", "Alpha post"));
        _site.Items.Add(BuildFixture.Item("alpha-copy-2", "Alpha post"));
        _site.Items.Add(BuildFixture.Item("alpha-copy-3", "Alpha post"));
        _site.Items.Add(BuildFixture.Item("zeta", "Zeta post"));
        _site.Save();
        var observer = new RecordingObserver();
        var report = _site.Build(new BuildOptions { Parallelism = 1 }, observer);
        Assert.Equal(0, report.Failed);
        Assert.Equal(9, report.Deduplicated);
        var order = observer.Outputs.Select(o => (o.Path, o.Status)).ToList();
        var zeta = order.FindLastIndex(o => o.Status == OutputStatus.Rendered && o.Path.StartsWith("og/zeta", StringComparison.Ordinal));
        var lastDrawn = order.FindLastIndex(o => o.Status == OutputStatus.Rendered);
        Assert.All(order.Where(o => o.Path.StartsWith("og/alpha-copy-2", StringComparison.Ordinal) || o.Path.StartsWith("og/alpha-copy-3", StringComparison.Ordinal)),
            o => Assert.True(order.IndexOf(o) < zeta && o.Status == OutputStatus.Deduplicated));
        Assert.All(order.Where(o => o.Path.StartsWith("og/alpha-copy-1", StringComparison.Ordinal)),
            o => Assert.True(order.IndexOf(o) > lastDrawn && o.Status == OutputStatus.Deduplicated));
        foreach (var copy in Enumerable.Range(1, 3).Select(i => $"alpha-copy-{i}"))
        {
            foreach (var (a, b) in BuildFixture.PathsOf("alpha").Zip(BuildFixture.PathsOf(copy)))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(_site.Site, a)), File.ReadAllBytes(Path.Combine(_site.Site, b)));
            }
        }
        // Recorded alike: the next build confirms every output and renders nothing.
        var next = _site.Build();
        Assert.Equal((0, 0, report.Outputs.Count), (next.Rendered, next.Deduplicated, next.Skipped));
    }

    [Fact]
    public void ChangingOneVariantsQualityRerendersThatVariantOnly()
    {
        _site.Build();
        _site.Config["jobs"]![0]!["variants"]![0]!["quality"] = 60;
        _site.Save();
        var report = _site.Build();
        Assert.Equal(["og/alpha.webp", "og/beta.webp", "og/delta.webp", "og/gamma.webp"], BuildFixture.Rendered(report));
        Assert.StartsWith("options changed (webp 240x126 q80", BuildFixture.Reason(report, "og/alpha.webp"), StringComparison.Ordinal);
    }

    [Fact]
    public void ForceRendersEverythingAndSaysSo()
    {
        _site.Build();
        var report = _site.Build(new BuildOptions { Force = true });
        Assert.Equal(13, report.Rendered);
        Assert.All(report.Outputs, o => Assert.Equal("forced (--force)", o.Reason));
    }

    [Fact]
    public void AnItemThatFailsDoesNotStopTheOthersAndKeepsTheManifestValid()
    {
        _site.Items.Add(BuildFixture.Item("broken", "Broken", logo: "assets/missing.png"));
        _site.Save();
        var report = _site.Build();
        Assert.Equal(13, report.Rendered);
        Assert.Equal(1, report.Failed);
        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0300", error.Code);
        Assert.Equal("cards/broken", error.Item);
        Assert.False(File.Exists(Path.Combine(_site.Site, "og/broken.webp")));
        var second = _site.Build();
        Assert.Equal(0, second.Rendered);
        Assert.Equal(1, second.Failed);
    }

    [Fact]
    public void ACancelledBuildLeavesNoPartialFileAndTheNextBuildFinishes()
    {
        using var cancel = new CancellationTokenSource();
        var count = 0;
        var observer = new RecordingObserver(o =>
        {
            if (o.Status == OutputStatus.Rendered && Interlocked.Increment(ref count) == 4)
            {
                cancel.Cancel();
            }
        });
        var first = _site.Build(new BuildOptions { Parallelism = 1 }, observer, cancel.Token);
        Assert.True(first.Cancelled);
        Assert.InRange(first.Rendered, 4, 12);
        Assert.Empty(Directory.EnumerateFiles(_site.Root, "*.bi-tmp", SearchOption.AllDirectories));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_site.Site, "og")))
        {
            Assert.True(VariantEncoder.DecodeRgba(File.ReadAllBytes(file)).Width > 0, file);
        }
        using (JsonDocument.Parse(File.ReadAllBytes(_site.ManifestFile)))
        {
        }
        var done = BuildFixture.Rendered(first).ToHashSet();
        var second = _site.Build();
        Assert.Equal(13 - done.Count, second.Rendered);
        Assert.DoesNotContain(BuildFixture.Rendered(second), done.Contains);
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void ByteBudgetsAreMetOrWarnedAbout()
    {
        // Noise compresses badly, so the budget forces the quality down.
        _site.Write("tpl/noise/card.sbn", """<card width="{{ card.width }}" height="{{ card.height }}" background="#000"><image src="assets/noise.png" width="100%" height="100%" fit="cover"/></card>""");
        var bgra = new byte[320 * 168 * 4];
        new Random(7).NextBytes(bgra);
        for (var i = 3; i < bgra.Length; i += 4)
        {
            bgra[i] = 255;
        }
        var noise = new RenderedCard(bgra, 320, 168, 320 * 4);
        File.WriteAllBytes(Path.Combine(_site.Root, "assets/noise.png"), VariantEncoder.Encode(noise, new EncodeOptions(ImageFormat.Png)));
        Assert.True(VariantEncoder.Encode(noise, new EncodeOptions(ImageFormat.Jpeg, 95)).Length > 30000, "the budget must bind at the requested quality");
        _site.Config["jobs"] = JsonNodeArray(
            """
            [{ "name": "noise", "template": "tpl/noise", "size": "320x168", "data": [ { "slug": "n" } ], "output": "{{ slug }}",
               "variants": [ { "format": "jpeg", "quality": 95, "maxBytes": 30000 }, { "format": "webp", "quality": 90, "maxBytes": 200, "suffix": "-tiny" } ] }]
            """);
        _site.Save();
        var report = _site.Build();
        var jpeg = report.Outputs.Single(o => o.Path == "n.jpg");
        Assert.InRange(jpeg.Bytes, 1, 30000);
        Assert.Equal(jpeg.Bytes, new FileInfo(Path.Combine(_site.Site, "n.jpg")).Length);
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0030");
        Assert.Contains("n-tiny.webp", warning.Message, StringComparison.Ordinal);
        Assert.Contains("floor quality 40", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileNameCacheBustingReplacesTheOldFileWhenTheContentChanges()
    {
        _site.Config["cacheBust"] = "filename";
        _site.Items.Add(BuildFixture.Item("alpha-copy", "Alpha post"));
        _site.Save();
        _site.Build();
        string[] Hashed(string slug) => Directory.GetFiles(Path.Combine(_site.Site, "og"), $"{slug}.*.webp").Select(Path.GetFileName).OfType<string>().ToArray();
        var before = Assert.Single(Hashed("alpha"));
        Assert.Matches(@"^alpha\.[0-9a-f]{10}\.webp$", before);
        Assert.Single(Hashed("alpha-copy"));

        _site.Items[0]["title"] = "Alpha, edited";
        _site.Items[4]["title"] = "Alpha, edited";
        _site.Save();
        var report = _site.Build();
        Assert.Equal(3, report.Deduplicated);
        var after = Assert.Single(Hashed("alpha"));
        Assert.NotEqual(before, after);
        Assert.Single(Hashed("alpha-copy"));
        var metadata = File.ReadAllText(Path.Combine(_site.Site, "images.json"));
        Assert.Contains($"https://example.com/og/{after}\"", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariantDroppedInTheBuildThatRerendersItsCardIsPrunedNotLeftBehind()
    {
        _site.Build();
        _site.Items[0]["title"] = "Alpha, retitled";
        _site.Config["jobs"]![0]!["variants"]!.AsArray().RemoveAt(1);
        _site.Save();
        var next = _site.Build();
        Assert.Contains("og/alpha.webp", BuildFixture.Rendered(next));
        // Every item's 120-px variant goes: the unchanged items' and the re-rendered one's alike.
        Assert.Equal(4, next.Pruned);
        Assert.False(File.Exists(Path.Combine(_site.Site, "og/alpha-120.webp")));
        Assert.DoesNotContain("alpha-120", File.ReadAllText(_site.ManifestFile), StringComparison.Ordinal);
    }

    [Fact]
    public void PruningRemovesTheFoldersItEmptiesButNeverAFileAPlannedOutputStillNames()
    {
        _site.Config["jobs"]![0]!["output"] = "og/{{ slug }}/card";
        _site.Save();
        Assert.Equal(0, _site.Build().Failed);
        Assert.True(Directory.Exists(Path.Combine(_site.Site, "og/beta")));
        // Beta leaves the data; gamma moves to a job of its own that writes the same files.
        _site.Items.RemoveAll(i => (string?)i["slug"] is "beta" or "gamma");
        var moved = _site.Config["jobs"]![0]!.DeepClone().AsObject();
        moved["name"] = "moved";
        moved["data"] = new System.Text.Json.Nodes.JsonArray(BuildFixture.Item("gamma", "Gamma post"));
        _site.Config["jobs"]!.AsArray().Add(moved);
        _site.Save();

        var next = _site.Build();

        Assert.Equal(0, next.Failed);
        Assert.Equal(["og/beta/card-120.webp", "og/beta/card.jpg", "og/beta/card.webp"], next.Outputs.Where(o => o.Status == OutputStatus.Pruned).Select(o => o.Path).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_site.Site, "og/beta")));
        Assert.All(["card.webp", "card-120.webp", "card.jpg"], f => Assert.True(File.Exists(Path.Combine(_site.Site, "og/gamma", f)), f));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/alpha/card.webp")));
        var manifest = File.ReadAllText(_site.ManifestFile);
        Assert.DoesNotContain("cards:og/beta", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("cards:og/gamma", manifest, StringComparison.Ordinal);
        Assert.Contains("moved:og/gamma/card", manifest, StringComparison.Ordinal);
        Assert.True(_site.Build().UpToDate);
    }

    [Fact]
    public void AnUnpublishRemovesOnlyTheNamedItemsOfItsJob()
    {
        // A second job writes beside the first, under a name that begins like beta's.
        _site.Config["jobs"]![1]!["output"] = "og/{{ slug }}";
        _site.Config["jobs"]![1]!["variants"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["format"] = "png" });
        _site.Config["jobs"]![1]!["data"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["slug"] = "beta-note", ["title"] = "Note" });
        _site.Save();
        Assert.Equal(0, _site.Build().Failed);
        var jpeg = Path.Combine(_site.Site, "og/beta.jpg");

        var removed = _site.Build(new BuildOptions { RemoveItems = ("cards", ["beta", "no-such-item"]) });

        Assert.Equal(1, removed.Unpublished);
        Assert.Equal(["og/beta-120.webp", "og/beta.jpg", "og/beta.webp"], removed.Outputs.Where(o => o.Status == OutputStatus.Pruned).Select(o => o.Path).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(jpeg));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/beta-note.png")));
        Assert.All(["alpha", "gamma", "delta"], slug => Assert.True(File.Exists(Path.Combine(_site.Site, $"og/{slug}.jpg")), slug));
        var manifest = File.ReadAllText(_site.ManifestFile);
        Assert.DoesNotContain("\"cards:og/beta\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"cards:og/alpha\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"notes:og/beta-note\"", manifest, StringComparison.Ordinal);
        // Nothing left to remove: the same request again finds nothing.
        Assert.Equal(0, _site.Build(new BuildOptions { RemoveItems = ("cards", ["beta"]) }).Unpublished);
    }

    [Fact]
    public void AHookRenderedItemIsHeldLikeTheDataFilesOwnWhileThatFileCannotBeRead()
    {
        _site.Build();
        var hooked = new Data.DataItem("<hook cards>", 0, "epsilon", new Dictionary<string, object?>(StringComparer.Ordinal) { ["slug"] = "epsilon", ["title"] = "From a hook" });
        var hook = _site.Build(new BuildOptions { ItemsOverride = ("cards", [hooked]) });
        Assert.Contains("og/epsilon.webp", BuildFixture.Rendered(hook));
        _site.Write("items.json", "[ { \"slug\": \"alpha\", ");
        var broken = _site.Build();
        Assert.Contains(broken.Errors, e => e.Code == "BI0010");
        Assert.DoesNotContain(broken.Outputs, o => o.Status == OutputStatus.Pruned);
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/epsilon.webp")));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/alpha.webp")));
        // Once the file reads again and the item is not in it, the nightly build prunes it as before.
        _site.Save();
        var mended = _site.Build();
        Assert.False(File.Exists(Path.Combine(_site.Site, "og/epsilon.webp")));
        Assert.Equal(3, mended.Pruned);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeArray(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;
}
