using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using NetVips;

namespace BuildImages.Core.Tests;

/// <summary>A photos job through the batch build: names, the manifest's skips and reasons, pruning, onError, images.json.</summary>
public sealed class PhotoJobTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public PhotoJobTests() => Native.NativeStack.EnsureLoaded();

    private void Photo(string relative, int width, int height, byte red = 200)
    {
        var full = Path.Combine(_site.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var image = Image.Black(width, height, bands: 3).NewFromImage(red, 90, 40).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        File.WriteAllBytes(full, Path.GetExtension(full) == ".png" ? image.PngsaveBuffer() : image.JpegsaveBuffer());
    }

    private void PhotosJob(string extra = "")
    {
        _site.Config["jobs"] = JsonNode.Parse($$"""
            [{
              "name": "photos", "kind": "photos", "sources": "photos/**/*.{jpg,png}", "output": "img"{{extra}},
              "variants": [ { "format": "webp", "width": 400 }, { "format": "jpeg", "width": 200 }, { "format": "jpeg", "maxSide": 100, "suffix": "-thumb" } ]
            }]
            """);
        _site.Save();
    }

    [Fact]
    public void PhotosKeepTheirRelativePathAndStemAndAnUnchangedBuildSkipsThem()
    {
        Photo("photos/a/b.jpg", 800, 600);
        Photo("photos/c.png", 300, 300);
        PhotosJob();
        var first = _site.Build();
        Assert.Equal(0, first.Failed);
        Assert.Equal(["img/a/b-200.jpg", "img/a/b-400.webp", "img/a/b-thumb.jpg", "img/c-200.jpg", "img/c-400.webp", "img/c-thumb.jpg"], BuildFixture.Rendered(first));
        var (_, w, h) = VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(_site.Site, "img/a/b-400.webp")));
        Assert.Equal((400, 300), (w, h));
        // Never upscaled: the 300-px photo's 400-px variant is 300 px, and the record says so.
        Assert.Equal(300, first.Outputs.Single(o => o.Path == "img/c-400.webp").Width);
        Assert.Equal(100, first.Outputs.Single(o => o.Path == "img/a/b-thumb.jpg").Width);
        var second = _site.Build();
        Assert.Empty(BuildFixture.Rendered(second));
        Assert.Equal(6, second.Skipped);
        // Confirmed from the up-to-date record, which lists the photos' outputs as recorded (the capped width too).
        Assert.True(second.UpToDate);
        Assert.Equal(first.Outputs.Select(o => (o.Path, o.Width, o.Height, o.Bytes, o.Key)), second.Outputs.Select(o => (o.Path, o.Width, o.Height, o.Bytes, o.Key)));
    }

    [Fact]
    public void APhotoAddedInANewSubfolderAfterANoOpIsSeenByTheNextBuild()
    {
        Photo("photos/a.jpg", 500, 400);
        PhotosJob();
        _site.Build();
        Assert.True(_site.Build().UpToDate);
        var record = Manifest.UpToDateRecord.Load(Manifest.UpToDateRecord.PathFor(_site.ManifestFile))!;
        // The photo folder's listing is in the record: the no-op did not glob it again.
        Assert.Contains("photos", record.Folders!.Keys);

        Photo("photos/new/d.jpg", 500, 400);
        var next = _site.Build();

        Assert.False(next.UpToDate);
        Assert.Equal(["img/new/d-200.jpg", "img/new/d-400.webp", "img/new/d-thumb.jpg"], BuildFixture.Rendered(next));
        // The photo checked and skipped is reported at the size it was written (its height was reported 0, so the
        // outcomes disagreed with the records and the up-to-date record was never written again).
        Assert.Equal((400, 320), next.Outputs.Where(o => o.Path == "img/a-400.webp").Select(o => (o.Width, o.Height)).Single());
        Assert.True(_site.Build().UpToDate);
    }

    [Fact]
    public void AChangedPhotoRendersAgainWithTheReasonAndARemovedOneIsPruned()
    {
        Photo("photos/a.jpg", 500, 400);
        Photo("photos/b.jpg", 500, 400);
        PhotosJob();
        _site.Build();
        Photo("photos/a.jpg", 500, 400, red: 30);
        File.Delete(Path.Combine(_site.Root, "photos/b.jpg"));
        var next = _site.Build(new BuildOptions { Parallelism = 1 });
        Assert.Equal(["img/a-200.jpg", "img/a-400.webp", "img/a-thumb.jpg"], BuildFixture.Rendered(next));
        Assert.Contains("photos/a.jpg changed", BuildFixture.Reason(next, "img/a-400.webp"));
        Assert.Equal(3, next.Pruned);
        Assert.False(File.Exists(Path.Combine(_site.Site, "img/b-400.webp")));
    }

    [Fact]
    public void ACorruptPhotoFailsByNameAndTheRestAreWritten()
    {
        Photo("photos/good.jpg", 500, 400);
        File.WriteAllBytes(Path.Combine(_site.Root, "photos/bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        PhotosJob();
        var report = _site.Build();
        Assert.Equal(1, report.Failed);
        var error = Assert.Single(report.Errors);
        Assert.Equal(DiagnosticCodes.CorruptImage, error.Code);
        Assert.Contains("bad.jpg", error.Message);
        Assert.Contains("img/good-400.webp", BuildFixture.Rendered(report));
        Assert.False(File.Exists(Path.Combine(_site.Site, "img/bad-400.webp")));
    }

    [Fact]
    public void OnErrorSkipWarnsAndStopFailsTheRestOfTheJob()
    {
        Photo("photos/a.jpg", 300, 200);
        File.WriteAllBytes(Path.Combine(_site.Root, "photos/b.jpg"), [1, 2, 3, 4]);
        Photo("photos/c.jpg", 300, 200);
        PhotosJob(""", "onError": "skip" """);
        var skipped = _site.Build();
        Assert.Equal(0, skipped.Failed);
        Assert.Contains(skipped.Warnings, w => w.Message.Contains("b.jpg", StringComparison.Ordinal) && w.Message.Contains("skipped", StringComparison.Ordinal));
        Assert.Equal(6, skipped.Rendered);
        PhotosJob(""", "onError": "stop" """);
        var stopped = _site.Build(new BuildOptions { Parallelism = 1, Force = true });
        // One worker takes the files in path order: a is written, b stops the job, c is not processed.
        Assert.Equal(["img/a-200.jpg", "img/a-400.webp", "img/a-thumb.jpg"], BuildFixture.Rendered(stopped));
        Assert.Equal(2, stopped.Failed);
        Assert.Contains(stopped.Errors, e => e.Message.Contains("was not processed", StringComparison.Ordinal) && e.Message.Contains("b.jpg", StringComparison.Ordinal));
    }

    [Fact]
    public void ImagesJsonHasAPictureSnippetWithEachWidthOnceAndTheBoxSize()
    {
        Photo("photos/p.jpg", 800, 400);
        PhotosJob();
        _site.Build();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_site.Site, "images.json")))!;
        var picture = json["items"]![0]!["picture"]!.GetValue<string>();
        Assert.Contains("<source type=\"image/webp\" srcset=\"https://example.com/img/p-400.webp?v=", picture);
        Assert.Contains(" 400w\"", picture);
        Assert.Contains("width=\"200\" height=\"100\"", picture);
        Assert.DoesNotContain("og:image", json.ToJsonString());
    }

    [Fact]
    public void APresetGivesTheVariantsAndAnUnknownOneIsAConfigErrorNamingThePresets()
    {
        Photo("photos/doc.png", 3000, 2000);
        _site.Config["jobs"] = JsonNode.Parse("""[{ "name": "ai", "kind": "photos", "sources": "photos/*.png", "preset": "ai-scene" }]""");
        _site.Save();
        var report = _site.Build();
        var output = Assert.Single(report.Outputs);
        Assert.Equal(("doc.jpg", 768, 512), (output.Path, output.Width, output.Height));
        _site.Config["jobs"] = JsonNode.Parse("""[{ "name": "ai", "kind": "photos", "sources": "photos/*.png", "preset": "ai-nope" }]""");
        _site.Save();
        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build());
        Assert.Contains("ai-scene", ex.Diagnostic.Message);
        Assert.True(ex.Diagnostic.Line > 0);
    }

    [Fact]
    public void OnErrorCopyOriginalCopiesTheSourceMarksItAndDropsTheCopyOnceTheSourceReads()
    {
        Photo("photos/a.jpg", 300, 200);
        byte[] corrupt = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9, 9];
        File.WriteAllBytes(Path.Combine(_site.Root, "photos/b.jpg"), corrupt);
        PhotosJob(""", "onError": "copy-original" """);
        var first = _site.Build();
        Assert.Equal(0, first.Failed);
        var copy = Path.Combine(_site.Site, "img/b.jpg");
        Assert.Equal(corrupt, File.ReadAllBytes(copy));
        Assert.Equal(OutputStatus.Original, first.Outputs.Single(o => o.Path == "img/b.jpg").Status);
        Assert.Contains(first.Warnings, w => w.Code == DiagnosticCodes.CorruptImage && w.Message.Contains("copied unchanged to img/b.jpg", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_site.Site, "img/b-400.webp")));
        // The copy's record survives the manifest's path check, and prune keeps it while the source stays unreadable.
        var second = _site.Build();
        Assert.True(File.Exists(copy));
        Assert.Equal(0, second.Pruned);
        Assert.DoesNotContain(second.Warnings, w => w.Code == DiagnosticCodes.ManifestUnreadable);
        // The images.json picture snippet leaves the copy out (its size is unknown), the variant list names it.
        var items = JsonNode.Parse(File.ReadAllText(Path.Combine(_site.Site, "images.json")))!["items"]!.AsArray();
        Assert.Contains(items, i => i!.ToJsonString().Contains("img/b.jpg", StringComparison.Ordinal));
        Photo("photos/b.jpg", 300, 200);
        var fixedUp = _site.Build();
        Assert.Equal(["img/b-200.jpg", "img/b-400.webp", "img/b-thumb.jpg"], BuildFixture.Rendered(fixedUp));
        Assert.False(File.Exists(copy));
        Assert.Equal(1, fixedUp.Pruned);
    }

    [Fact]
    public void AVariantDroppedWhileItsPhotoChangesIsPrunedNotLeftBehind()
    {
        Photo("photos/a.jpg", 500, 400);
        PhotosJob();
        _site.Build();
        Photo("photos/a.jpg", 500, 400, red: 20);
        _site.Config["jobs"]![0]!["variants"] = JsonNode.Parse("""[ { "format": "webp", "width": 400 } ]""");
        _site.Save();
        var next = _site.Build();
        Assert.Equal(["img/a-400.webp"], BuildFixture.Rendered(next));
        Assert.Equal(2, next.Pruned);
        Assert.False(File.Exists(Path.Combine(_site.Site, "img/a-200.jpg")));
        Assert.False(File.Exists(Path.Combine(_site.Site, "img/a-thumb.jpg")));
    }

    public void Dispose() => _site.Dispose();
}
