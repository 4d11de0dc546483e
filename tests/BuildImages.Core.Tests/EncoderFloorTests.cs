using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Assets;
using BuildImages.Core.Build;
using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>
/// Work a batch must not pay twice: images decoded once per drawn size for all workers, duplicates copied before
/// template or layout, outputs flushed once per manifest save; and the encoder profiles.
/// </summary>
public sealed class EncoderFloorTests : IDisposable
{
    private const string PhotoTemplate =
        """<card width="{{ card.width }}" height="{{ card.height }}" background="#000000" font-family="Inter"><image x="0" y="0" width="100%" height="100%" src="{{ image }}" fit="cover"/><text x="8" y="8" font-size="14" color="#ffffff">{{ title }}</text></card>""";

    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    /// <summary>A 480×252 JPEG (twice the card): red rises left to right, blue top to bottom.</summary>
    private void WritePhoto(string relative)
    {
        const int w = 480, h = 252;
        var bgra = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = ((y * w) + x) * 4;
                bgra[i] = (byte)(y * 255 / h);
                bgra[i + 1] = 64;
                bgra[i + 2] = (byte)(x * 255 / w);
                bgra[i + 3] = 255;
            }
        }
        var full = Path.Combine(_site.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, VariantEncoder.Encode(new RenderedCard(bgra, w, h, w * 4), new EncodeOptions(ImageFormat.Jpeg, 95)));
    }

    /// <summary>Adds "social", the "cards" job again with its outputs under social/ (cards equal in everything to "cards"' own), and saves.</summary>
    private JsonArray AddSocialJob()
    {
        var jobs = _site.Config["jobs"]!.AsArray();
        var second = jobs[0]!.DeepClone().AsObject();
        second["name"] = "social";
        second["output"] = "social/{{ slug }}";
        jobs.Add(second);
        _site.Save();
        return jobs;
    }

    private void PhotoSite(int items)
    {
        WritePhoto("assets/photo.jpg");
        _site.Write("tpl/photo/card.sbn", PhotoTemplate);
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, items).Select(i => new JsonObject { ["slug"] = $"p{i}", ["title"] = $"Photo card {i}", ["image"] = "assets/photo.jpg" }));
        _site.Config["jobs"] = JsonNode.Parse("""
            [ { "name": "photos", "template": "tpl/photo", "size": "240x126", "data": "items.json", "output": "og/{{ slug }}",
                "variants": [ { "format": "webp" }, { "format": "webp", "width": 120 }, { "format": "jpeg", "quality": 90 } ] } ]
            """);
        _site.Save();
    }

    [Fact]
    public void APhotoSharedByEveryCardIsDecodedOncePerDrawnSizeAtThatSize()
    {
        PhotoSite(6);

        var report = _site.Build();

        Assert.Equal(18, report.Rendered);
        var cache = Assert.IsType<ImageCacheStats>(report.ImageCache);
        // Two drawn sizes (240×126 and 120×63), decoded once each for both workers; every other paint is a hit.
        Assert.Equal(2, cache.Misses);
        Assert.Equal(10, cache.Hits);
        // Decoded at the drawn size, not the file's 480×252 (which alone would be 483,840 bytes).
        Assert.Equal((240 * 126 * 4) + (120 * 63 * 4), cache.Bytes);
        // The pixels are the photo's: away from the title, the colour is the gradient's at that place.
        var (rgba, width, _) = VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(_site.Site, "og", "p3.jpg")));
        foreach (var (x, y) in new[] { (200, 100), (60, 110), (230, 60) })
        {
            var i = ((y * width) + x) * 4;
            Assert.InRange(rgba[i], (x * 255 / 240) - 12, (x * 255 / 240) + 12);
            Assert.InRange(rgba[i + 2], (y * 255 / 126) - 12, (y * 255 / 126) + 12);
        }
    }

    [Fact]
    public void AnImageCacheOfOneEntryStillDrawsEveryCardAndCountsTheDecodes()
    {
        var cache = new DecodedImageCache(maxBytes: 100);
        var header = new RasterHeader("h", 10, 10);
        var decodes = 0;
        DecodedPixels Decode(byte[] bytes, int w, int h)
        {
            decodes++;
            return new DecodedPixels(new byte[w * h * 4], w, h, w * 4);
        }
        var a = cache.Get(header, [], 4, 4, Decode);
        Assert.Same(a, cache.Get(header, [], 4, 4, Decode));
        cache.Get(header, [], 5, 5, Decode);
        // 64 + 100 bytes is over the budget: the least recently used (4×4) went, the newest stays.
        Assert.NotSame(a, cache.Get(header, [], 4, 4, Decode));
        Assert.Equal(3, decodes);
        Assert.Equal(new ImageCacheStats(1, 3, 64), cache.Stats());
    }

    [Fact]
    public void ACorruptImageUsedByTwoCardsFailsEachWithItsOwnName()
    {
        PhotoSite(2);
        File.WriteAllBytes(Path.Combine(_site.Root, "assets", "bad-a.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3]);
        File.Copy(Path.Combine(_site.Root, "assets", "bad-a.png"), Path.Combine(_site.Root, "assets", "bad-b.png"));
        _site.Items[0]["image"] = "assets/bad-a.png";
        _site.Items[1]["image"] = "assets/bad-b.png";
        _site.Save();

        var report = _site.Build();

        Assert.Equal(2, report.Failed);
        Assert.Contains(report.Errors, e => e.Item == "photos/p0" && e.Message.Contains("'assets/bad-a.png'", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Item == "photos/p1" && e.Message.Contains("'assets/bad-b.png'", StringComparison.Ordinal));
    }

    [Fact]
    public void ACardEqualToACopyIsCopiedAfterThatCopyIsMade()
    {
        // Items that draw the same card (one title, the slug only in the path): in "cards" the first renders and the rest
        // are copies of its markup; "social" is the same job again, so each of its cards is equal in everything to the
        // "cards" card of its item, most of which are themselves copies made in the same copy stage.
        _site.Items.Clear();
        for (var i = 0; i < 6; i++)
        {
            _site.Items.Add(BuildFixture.Item($"same-{i:D3}", "One title for all"));
        }
        AddSocialJob();

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.Equal(3 + 1, report.Rendered);
        Assert.Equal(2 * 6 * 3 - 3, report.Deduplicated);
        foreach (var path in Enumerable.Range(0, 6).SelectMany(i => BuildFixture.PathsOf($"same-{i:D3}")))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_site.Site, path)), File.ReadAllBytes(Path.Combine(_site.Site, path.Replace("og/", "social/", StringComparison.Ordinal))));
        }
    }

    [Fact]
    public void CardsEqualInTemplateDataAndVariantsAreCopiedWithoutEvaluationAndStaySkipped()
    {
        var jobs = AddSocialJob();

        var first = _site.Build();

        // Each of the 4 items renders its 3 outputs in one job and is copied in the other (plus the note's PNG).
        Assert.Equal(13, first.Rendered);
        Assert.Equal(12, first.Deduplicated);
        foreach (var slug in new[] { "alpha", "beta", "gamma", "delta" })
        {
            foreach (var path in BuildFixture.PathsOf(slug))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(_site.Site, path)), File.ReadAllBytes(Path.Combine(_site.Site, path.Replace("og/", "social/", StringComparison.Ordinal))));
            }
        }
        // On Linux a copy is a hard link: no bytes written twice.
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(2u, Links(Path.Combine(_site.Site, "og", "beta.webp")));
        }
        // The copies are recorded with the keys a check computes: the next build renders and copies nothing.
        var again = _site.Build();
        Assert.Equal(0, again.Rendered + again.Deduplicated);
        Assert.Equal(25, again.Skipped);
        // Removing the up-to-date record forces the full check, which must agree.
        File.Delete(Manifest.UpToDateRecord.PathFor(_site.ManifestFile));
        var full = _site.Build();
        Assert.Equal(0, full.Rendered + full.Deduplicated);

        _site.Items[0]["title"] = "Alpha, edited";
        _site.Save();
        var edited = _site.Build();
        Assert.Equal(3, edited.Rendered);
        Assert.Equal(3, edited.Deduplicated);
        Assert.All(edited.Outputs.Where(o => o.Status is OutputStatus.Rendered or OutputStatus.Deduplicated), o => Assert.Contains("alpha", o.Path, StringComparison.Ordinal));

        // Rewriting one of two linked outputs replaces its file: the other keeps its bytes.
        var og = File.ReadAllBytes(Path.Combine(_site.Site, "og", "beta.webp"));
        jobs[2]!["variants"]![0]!["quality"] = 50;
        _site.Save();
        var requality = _site.Build();
        Assert.Contains("social/beta.webp", BuildFixture.Rendered(requality));
        Assert.Equal(og, File.ReadAllBytes(Path.Combine(_site.Site, "og", "beta.webp")));
        Assert.NotEqual(og, File.ReadAllBytes(Path.Combine(_site.Site, "social", "beta.webp")));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(1u, Links(Path.Combine(_site.Site, "og", "beta.webp")));
        }
    }

    private static unsafe uint Links(string path)
    {
        Native.StatxBuffer buffer;
        Assert.Equal(0, Native.LibcApi.statx(Native.LibcApi.AtFdCwd, path, 0, 0, &buffer));
        return buffer.Links;
    }

    [Fact]
    public void OutputsAreFlushedOnceBeforeTheManifestThatNamesThem()
    {
        var report = _site.Build(new BuildOptions { Parallelism = 2, CheckpointInterval = TimeSpan.FromHours(1) });

        Assert.Equal(13, report.Rendered);
        Assert.Equal(1, report.Flushes);
        Assert.Equal(13, report.FlushedFiles);
        var noop = _site.Build();
        Assert.Equal(0, noop.Flushes);
    }

    [Fact]
    public void TheEncoderProfileDecidesTheSettingsAndIsPartOfTheKey()
    {
        var balanced = _site.Build();
        var webp = new FileInfo(Path.Combine(_site.Site, "og", "alpha.webp")).Length;
        _site.Config["encoder"] = "fast";
        _site.Save();

        var fast = _site.Build(new BuildOptions { Parallelism = 2 });

        Assert.Equal(balanced.Rendered, fast.Rendered);
        Assert.StartsWith("options changed (webp 240x126 q80 effort 2 → webp 240x126 q80 effort 0)", BuildFixture.Reason(fast, "og/alpha.webp"), StringComparison.Ordinal);
        Assert.StartsWith("options changed (jpeg 240x126 q82 optimize_coding", BuildFixture.Reason(fast, "og/alpha.jpg"), StringComparison.Ordinal);
        Assert.NotEqual(webp, new FileInfo(Path.Combine(_site.Site, "og", "alpha.webp")).Length);

        // A job's own profile and a variant's effort win over the configuration's.
        var job = _site.Config["jobs"]![0]!.AsObject();
        job["encoder"] = "small";
        job["variants"]![0]!["effort"] = 3;
        _site.Save();
        var small = _site.Build();
        Assert.StartsWith("options changed (webp 240x126 q80 effort 0 → webp 240x126 q80 effort 3)", BuildFixture.Reason(small, "og/alpha.webp"), StringComparison.Ordinal);
        Assert.StartsWith("options changed (webp 120x63 q80 effort 0 → webp 120x63 q80 effort 6)", BuildFixture.Reason(small, "og/alpha-120.webp"), StringComparison.Ordinal);
        Assert.Contains("optimize_coding interlace trellis_quant", BuildFixture.Reason(small, "og/alpha.jpg"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("encoder", "quick", "'encoder' must be balanced, fast or small, not 'quick'")]
    [InlineData("encodr", "fast", "did you mean 'encoder'")]
    public void ABadEncoderSettingIsAConfigurationErrorAtItsPlace(string property, string value, string message)
    {
        _site.Config[property] = value;
        _site.Save();
        var error = Assert.Throws<Diagnostics.ConfigurationException>(() => Configuration.ConfigLoader.Load(_site.ConfigFile));
        Assert.Contains(message, error.Diagnostic.Message, StringComparison.Ordinal);
        var line = File.ReadAllLines(_site.ConfigFile).ToList().FindIndex(l => l.Contains($"\"{property}\"", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Diagnostic.Line);
    }

    [Fact]
    public void AWebPEffortOverSixIsRefusedAndAnAvifEffortOfNineIsNot()
    {
        var job = _site.Config["jobs"]![0]!.AsObject();
        job["variants"]![0]!["effort"] = 7;
        _site.Save();
        var error = Assert.Throws<Diagnostics.ConfigurationException>(() => Configuration.ConfigLoader.Load(_site.ConfigFile));
        Assert.Contains("effort", error.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(error.Diagnostic.Line > 1);

        job["variants"]![0]!["format"] = "avif";
        job["variants"]![0]!["effort"] = 9;
        _site.Save();
        var config = Configuration.ConfigLoader.Load(_site.ConfigFile);
        Assert.Equal(9, config.Jobs[0].Variants[0].Effort);
    }

    [Fact]
    public void TheReportStreamsAsCompactJsonWithTheCacheAndFlushFigures()
    {
        PhotoSite(2);
        var report = _site.Build();
        using var stream = new MemoryStream();

        report.WriteJson(stream);

        using var doc = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(6, doc.RootElement.GetProperty("rendered").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("imageCache").GetProperty("misses").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("flushes").GetInt32());
        Assert.DoesNotContain((byte)'\n', stream.ToArray());
        Assert.Contains("2 decoded, 2 reused (50% hit rate)", report.Summary(), StringComparison.Ordinal);
    }
}
