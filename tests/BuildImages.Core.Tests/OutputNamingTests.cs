using System.Security.Cryptography;
using System.Text.Json;
using BuildImages.Core.Encoders;

namespace BuildImages.Core.Tests;

/// <summary>Output names from the pattern: the width rule, what may not leave the output folder, collisions, and images.json.</summary>
public sealed class OutputNamingTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void UnsafeNamesFailTheirItemOnlyAndNothingLeavesTheOutputFolder()
    {
        _site.Items.Clear();
        _site.Items.AddRange(
        [
            BuildFixture.Item("ok", "Fine"),
            BuildFixture.Item("..", "Dot dot"),
            BuildFixture.Item("CON", "Device"),
            BuildFixture.Item("lpt1.txt", "Device with extension"),
            BuildFixture.Item("trailing.", "Trailing dot"),
            BuildFixture.Item("", "Empty slug"),
            BuildFixture.Item("../../escape", "Slashes become dashes"),
            BuildFixture.Item("a\\b:c", "Backslash and colon"),
        ]);
        _site.Save();
        var report = _site.Build();

        var bad = report.Errors.Where(e => e.Code == "BI0020").Select(e => e.Item).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["cards/..", "cards/6", "cards/CON", "cards/lpt1.txt", "cards/trailing."], bad);
        Assert.All(report.Errors, e => Assert.EndsWith("items.json", e.File, StringComparison.Ordinal));
        Assert.Equal(5, report.Failed);
        // Values substituted into the pattern cannot add folders or unsafe characters.
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/..-..-escape.webp")));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/a-b-c.webp")));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/ok.webp")));
        var written = Directory.GetFiles(_site.Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".webp", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(_site.Site, f).Replace('\\', '/'))
            .ToList();
        Assert.All(written, f => Assert.False(f.StartsWith("..", StringComparison.Ordinal), f));
        Assert.Equal(3 * 3 + 1, written.Count);
    }

    [Theory]
    [InlineData("og/{{ folders slug }}")]
    [InlineData("og/{{{slug}}}")]
    public void FoldersMayComeFromAValueButNotEscape(string pattern)
    {
        _site.Config["jobs"]![0]!["output"] = pattern;
        _site.Items.Clear();
        _site.Items.AddRange([BuildFixture.Item("2024/launch", "Nested"), BuildFixture.Item("../up", "Up"), BuildFixture.Item("/abs", "Absolute")]);
        _site.Save();
        var report = _site.Build();
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/2024/launch.webp")));
        Assert.Equal(["cards/../up", "cards//abs"], report.Errors.Select(e => e.Item).Order(StringComparer.Ordinal));
        Assert.Contains(report.Errors, e => e.Message.Contains("'..' segment", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoItemsWritingOnePathFailBothAndNameEachOther()
    {
        _site.Items.Add(BuildFixture.Item("ALPHA", "Same path as alpha on a case-insensitive disk"));
        _site.Save();
        var report = _site.Build();
        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0021", error.Code);
        Assert.Contains("cards/alpha", error.Message, StringComparison.Ordinal);
        Assert.Contains("cards/ALPHA", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_site.Site, "og/alpha.webp")));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og/beta.webp")));
        Assert.Equal(3 * 3 + 1, report.Rendered);
    }

    [Fact]
    public void AnItemAddedOnAnotherItemsPathFailsBothAndTheFirstKeepsItsOutputsAndRecord()
    {
        // alpha was built; a new item writes its files too. Neither renders, and alpha's files are not pruned for it.
        _site.Build();
        var alpha = Directory.GetFiles(Path.Combine(_site.Site, "og"), "alpha*").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(alpha);
        var bytes = alpha.Select(File.ReadAllBytes).ToList();
        _site.Items.Add(BuildFixture.Item("ALPHA", "Same path as alpha on a case-insensitive disk"));
        _site.Save();

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0021", error.Code);
        Assert.Equal(0, report.Pruned);
        Assert.Equal(alpha, Directory.GetFiles(Path.Combine(_site.Site, "og"), "alpha*").Order(StringComparer.Ordinal));
        Assert.Equal(bytes, alpha.Select(File.ReadAllBytes));
        Assert.Contains("\"cards:og/alpha\"", File.ReadAllText(_site.ManifestFile), StringComparison.Ordinal);
        // Both items failed: the one the error is at, and the one it names.
        Assert.Equal(2, report.Failed);
    }

    [Fact]
    public void AnOutputPatternThatNamesTooLittleIsToldTwentyTimesAndCountedTheReportHoldingEveryError()
    {
        // Fifty items, one slug: forty-nine clashes with the first, one error each, and the first is held.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 50).Select(i => BuildFixture.Item("same", $"Post {i}")));
        _site.Save();
        var observer = new RecordingObserver();

        var report = _site.Build(new Build.BuildOptions { Parallelism = 2 }, observer);

        Assert.Equal(49, report.Errors.Count(e => e.Code == "BI0021"));
        Assert.Equal(50, report.Failed);
        Assert.Equal(Build.BuildLog.MostToldPerCode, observer.Diagnostics.Count(d => d.Code == "BI0021"));
        Assert.Contains($"29 more BI0021 problems like the {Build.BuildLog.MostToldPerCode} above were not shown (49 in all", Assert.Single(observer.Messages), StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(_site.Site, "og")) ? Directory.GetFiles(Path.Combine(_site.Site, "og"), "same*") : []);
    }

    [Fact]
    public void FiveHundredItemsMadeToWriteOneFileFailWithTheirProblemsSpilledAndKeepEveryOutputAndRecord()
    {
        // Built with names of their own (one card, copied); then an output pattern that names too little. Every item
        // fails, the first held and the rest with an error each: about 100 KB of problems, more than a 64 KB block, so with
        // a budget of nothing the scratch file holds some. Not one output or record is pruned for it.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 500).Select(i => BuildFixture.Item($"post-{i}", "One title for all")));
        _site.Save();
        Assert.Equal(0, _site.Build(new Build.BuildOptions { Parallelism = 2 }).Failed);
        var og = Path.Combine(_site.Site, "og");
        var before = Directory.GetFiles(og).Order(StringComparer.Ordinal).Select(f => (f, SHA256.HashData(File.ReadAllBytes(f)))).ToList();
        _site.Config["jobs"]![0]!["output"] = "og/all";
        _site.Save();

        var report = _site.Build(new Build.BuildOptions { Parallelism = 2, RecordMemoryBudget = 0 });

        var clashes = report.Errors.Where(e => e.Code == "BI0021").ToList();
        Assert.Equal(Enumerable.Range(1, 499).Select(i => $"cards/post-{i}"), clashes.Select(e => e.Item));
        Assert.All(clashes, e => Assert.Contains("items cards/post-0 (items.json:", e.Message, StringComparison.Ordinal));
        Assert.All(clashes, e => Assert.EndsWith("items.json", e.File, StringComparison.Ordinal));
        Assert.Equal(500, report.Failed);
        Assert.Equal(0, report.Pruned);
        Assert.Equal(3 * 500, before.Count);
        Assert.Equal(before, Directory.GetFiles(og).Order(StringComparer.Ordinal).Select(f => (f, SHA256.HashData(File.ReadAllBytes(f)))));
        var after = File.ReadAllText(_site.ManifestFile);
        Assert.All(Enumerable.Range(0, 500), i => Assert.Contains($"\"cards:og/post-{i}\"", after, StringComparison.Ordinal));
    }

    [Fact]
    public void AWarningEveryCardMakesIsToldTwentyTimesAndCountedTheReportHoldingEveryOne()
    {
        // A byte budget no JPEG of these cards can meet: a warning per card, thirty.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 30).Select(i => BuildFixture.Item($"post-{i}", $"Post number {i}")));
        _site.Config["jobs"]![0]!["variants"]![2]!["maxBytes"] = 100;
        _site.Save();
        var observer = new RecordingObserver();

        var report = _site.Build(new Build.BuildOptions { Parallelism = 2 }, observer);

        var code = Diagnostics.DiagnosticCodes.OverBudget;
        Assert.Equal(30, report.Warnings.Count(w => w.Code == code));
        Assert.Equal(Build.BuildLog.MostToldPerCode, observer.Diagnostics.Count(d => d.Code == code));
        Assert.Contains($"10 more {code} warnings like the {Build.BuildLog.MostToldPerCode} above were not shown (30 in all", Assert.Single(observer.Messages), StringComparison.Ordinal);
        // Warnings fail nothing: every card is written.
        Assert.Equal(0, report.Failed);
        Assert.Equal(30, report.Outputs.Count(o => o.Path.EndsWith(".jpg", StringComparison.Ordinal) && o.Status == Build.OutputStatus.Rendered));
    }

    [Fact]
    public void AmongThousandsOfItemsEveryClashIsFoundOnceInPlanOrderAcrossCaseAndSuffixes()
    {
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 5_000).Select(i => BuildFixture.Item($"post-{i}", $"Post {i}")));
        // Three writers of one file, told apart only by case; and a card whose main output is another card's 120-wide one.
        _site.Items.Insert(10, BuildFixture.Item("Post-4000", "Upper case"));
        _site.Items.Add(BuildFixture.Item("POST-4000", "All capitals"));
        _site.Items.Add(BuildFixture.Item("post-77-120", "Named like a variant"));
        _site.Save();

        var report = _site.Build(new Build.BuildOptions { DryRun = true });

        var clashes = report.Errors.Where(e => e.Code == "BI0021").ToList();
        // Post-4000 (planned 11th) owns og/post-4000*; post-4000 and POST-4000 each clash with it; post-77-120.webp is post-77's.
        Assert.Equal(["cards/post-4000", "cards/POST-4000", "cards/post-77-120"], clashes.Select(e => e.Item));
        Assert.Contains("items cards/Post-4000 (items.json:", clashes[0].Message, StringComparison.Ordinal);
        Assert.Contains("both write 'og/post-4000.webp'", clashes[0].Message, StringComparison.Ordinal);
        Assert.Contains("items cards/post-77 (items.json:", clashes[2].Message, StringComparison.Ordinal);
        Assert.Contains("both write 'og/post-77-120.webp'", clashes[2].Message, StringComparison.Ordinal);
        // Neither side of a clash is planned; every other item is, with its three outputs (and the note's one).
        var planned = report.Outputs.Select(o => o.Item).Distinct().ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("cards/Post-4000", planned);
        Assert.DoesNotContain("cards/post-77", planned);
        Assert.Contains("cards/post-78", planned);
        Assert.Equal((5_000 - 2) * 3 + 1, report.Outputs.Count);
    }

    [Fact]
    public void ImagesJsonDescribesEveryWrittenFileAndTheTags()
    {
        _site.Items[0]["title"] = "Tom & \"Jerry\" <live>";
        _site.Save();
        var report = _site.Build();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_site.Site, "images.json")));
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        var alpha = items.Single(i => i.GetProperty("item").GetString() == "alpha");
        Assert.Equal("cards", alpha.GetProperty("job").GetString());
        var variants = alpha.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(["og/alpha-120.webp", "og/alpha.jpg", "og/alpha.webp"], variants.Select(v => v.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        foreach (var v in variants)
        {
            var path = v.GetProperty("path").GetString()!;
            var bytes = File.ReadAllBytes(Path.Combine(_site.Site, path));
            var decoded = VariantEncoder.DecodeRgba(bytes);
            Assert.Equal(decoded.Width, v.GetProperty("width").GetInt32());
            Assert.Equal(decoded.Height, v.GetProperty("height").GetInt32());
            Assert.Equal(bytes.Length, v.GetProperty("bytes").GetInt64());
            Assert.Equal(path.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/webp", v.GetProperty("type").GetString());
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Assert.Equal($"https://example.com/{path}?v={sha[..10]}", v.GetProperty("url").GetString());
            Assert.Equal(report.Outputs.Single(o => o.Path == path).Key, v.GetProperty("key").GetString());
        }
        var tags = alpha.GetProperty("tags").GetString()!;
        var jpegUrl = variants.Single(v => v.GetProperty("path").GetString() == "og/alpha.jpg").GetProperty("url").GetString()!;
        Assert.Contains($"<meta property=\"og:image\" content=\"{jpegUrl}\">", tags, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:width\" content=\"240\">", tags, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:height\" content=\"126\">", tags, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:type\" content=\"image/jpeg\">", tags, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:alt\" content=\"Tom &amp; &quot;Jerry&quot; &lt;live&gt;\">", tags, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary_large_image\">", tags, StringComparison.Ordinal);
        Assert.Contains($"<meta name=\"twitter:image\" content=\"{jpegUrl}\">", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemsNameAndRecordKeyAreMadeFromItsJobItemAndOutputAndFollowAWith()
    {
        var job = new Configuration.JobConfig { Name = "photos", Template = "photo", Output = "img/{{ slug }}", Variants = [] };
        var item = new Data.DataItem("items.json", 3, "alpha", new Dictionary<string, object?>());
        var photo = new Planning.PlannedPhoto(job, item, "img/alpha", "pre", [], new Planning.PhotoSource("src/a.jpg", "/abs/src/a.jpg", null));
        Assert.Equal("photos/alpha", photo.Name);
        Assert.Equal("photos:img/alpha", photo.RecordKey);
        // Made when asked (the plan holds neither): equal each time, never kept.
        Assert.Equal(photo.Name, photo.Name);
        Assert.NotSame(photo.RecordKey, photo.RecordKey);

        var moved = photo with { Output = "img/beta", Item = item with { Id = "beta" } };
        Assert.Equal(("photos/beta", "photos:img/beta"), (moved.Name, moved.RecordKey));
        var renamed = moved with { Job = job with { Name = "pics" } };
        Assert.Equal(("pics/beta", "pics:img/beta"), (renamed.Name, renamed.RecordKey));
        Assert.Equal(photo, photo with { });
        Assert.NotEqual(photo, moved);
    }

    [Fact]
    public void AnItemsAltTextIsMadeFromItsStoredFieldsWhenAskedNotHeldByThePlan()
    {
        var source = new Planning.PhotoSource("src/a.jpg", "/abs/src/a.jpg", null);
        var fields = new Dictionary<string, object?> { ["slug"] = "a", ["title"] = "Tom & Jerry", ["author"] = "Ann", ["n"] = 3L };
        // Kept in a field store as a batch build keeps them: every read of the alt decodes them anew.
        var item = new Data.FieldStore(besideFile: null, memoryBudget: 1 << 20).Keep(new Data.DataItem("items.json", 1, "a", fields));
        Assert.IsType<Data.StoredFields>(item.Fields);
        foreach (var (pattern, expected) in new[] { ("{{ title }} by {{ author }} ({{ n }})", "Tom & Jerry by Ann (3)"), ((string?)null, "Tom & Jerry") })
        {
            var job = new Configuration.JobConfig { Name = "cards", Template = "t", Output = "og/{{ slug }}", Alt = pattern, Variants = [] };
            var card = new Planning.PlannedPhoto(job, item, "og/a", "pre", [], source) { AltNamer = new Planning.OutputNamer(job, TimeZoneInfo.Utc) };

            Assert.Equal(expected, card.Alt);
            Assert.NotSame(card.Alt, card.Alt);
            Assert.Equal(expected, card.AltOf(card.LoadFields()));
            // Given, it is held as given, and the namer is gone.
            var given = card with { Alt = "Given" };
            Assert.Equal(("Given", null), (given.Alt, given.AltNamer));
            Assert.Equal("Given", given.AltOf(fields));
        }
        var plain = new Planning.PlannedPhoto(new Configuration.JobConfig { Name = "p", Template = "photo", Output = "x", Variants = [] }, item, "x", "pre", [], source);
        Assert.Null(plain.Alt);
    }
}
