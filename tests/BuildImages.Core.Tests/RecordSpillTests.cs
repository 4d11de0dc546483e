using System.Text;
using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// Records a build sets are held serialised in memory up to a budget, then in a scratch file beside the manifest: they
/// read back the same, snapshots keep what they saw, the file goes when the build ends, and a folder the file cannot be
/// made in keeps them in memory.
/// </summary>
public sealed class RecordSpillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-spill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RecordsPastTheBudgetGoToAScratchFileBesideTheManifestAndReadBackAsTheyWereSet()
    {
        var manifest = Path.Combine(_dir, ".buildimages-manifest.json");
        var records = Enumerable.Range(0, 200).Select(i => Record(i, "first")).ToArray();
        using (var spill = new RecordSpill(manifest, memoryBudget: 4096))
        {
            var table = new RecordTable(spill);
            // Room for the records first (a build expects one per planned item), and for many more once some are set:
            // the keys' index is made again around the records it holds, which are still found below.
            table.Expect(records.Length);
            Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                table.Set(Key(i), records[i]);
                if (i == 150)
                {
                    table.Expect(records.Length * 100);
                }
            });

            var file = Assert.IsType<string>(spill.FilePath);
            Assert.Equal(_dir, Path.GetDirectoryName(file));
            Assert.EndsWith(AtomicFile.TempSuffix, file, StringComparison.Ordinal);
            // Nearly all of the 200 records (about 1 KB each) are in the file, not in memory.
            Assert.True(new FileInfo(file).Length > 150 * Json(records[0]).Length, $"{new FileInfo(file).Length} bytes in the file");

            var before = table.Snapshot();
            table.Set(Key(7), Record(7, "second"));
            for (var i = 0; i < records.Length; i++)
            {
                Assert.True(before.TryGetValue(Key(i), out var seen));
                Assert.Equal(Json(RecordCheck.Sealed(records[i])), Json(seen));
                Assert.True(table.TryGetValue(Key(i), out var now));
                Assert.Equal(Json(RecordCheck.Sealed(i == 7 ? Record(7, "second") : records[i])), Json(now));
            }
            // The manifest copies a stored record as it is.
            Assert.Contains("\"" + Key(3) + "\":" + Json(RecordCheck.Sealed(records[3])) + ",", Properties(table), StringComparison.Ordinal);
            Assert.Equal(records.Length, table.All().Count());
        }
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }

    [Fact]
    public void ARecordsEntryInTheTableIsSixteenBytes()
    {
        // A million-item build holds a million entries to its end, and each checkpoint's snapshot copies them: the
        // store's place held as a (long, int) struct padded an entry to 24 bytes.
        var entry = typeof(RecordTable).GetNestedType("Entry", System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(entry);
        Assert.Equal(16, System.Runtime.CompilerServices.RuntimeHelpers.SizeOf(entry.TypeHandle));
    }

    [Fact]
    public void TheTableKnowsTheFoldersOfEveryRecordLoadedOrSetWithoutReadingThemBack()
    {
        using var spill = new RecordSpill(Path.Combine(_dir, ".buildimages-manifest.json"), memoryBudget: 0);
        var table = new RecordTable(spill);
        ItemRecord In(int i, string folder) => Record(i, "first") with
        {
            Variants = [.. Record(i, "first").Variants.Select(v => v with { File = folder + Path.GetFileName(v.File) })],
        };
        table.Load(Key(1), In(1, "og/"), RecordCheck.SealedJson(In(1, "og/")));
        table.Load(Key(2), In(2, ""), RecordCheck.SealedJson(In(2, "")));
        // A damaged record (null) names no folder.
        table.Load(Key(3), null, null);
        Parallel.For(4, 40, i => table.Set(Key(i), In(i, i % 2 == 0 ? "notes/2026/" : "og/")));
        var snapshot = table.Snapshot();
        table.Remove(Key(2));

        // The output folder itself is the empty name; a folder whose records were removed may stay (a sweep looks once too often, never too few).
        Assert.Equal(["", "notes/2026", "og"], table.OutputFolders().Order(StringComparer.Ordinal));
        Assert.Equal(["", "notes/2026", "og"], snapshot.OutputFolders().Order(StringComparer.Ordinal));
        table.Clear();
        Assert.Empty(table.OutputFolders());
    }

    [Fact]
    public void WhereNoScratchFileCanBeMadeTheRecordsStayInMemory()
    {
        var manifest = Path.Combine(_dir, "missing", "folder", ".buildimages-manifest.json");
        using var spill = new RecordSpill(manifest, memoryBudget: 0);
        var table = new RecordTable(spill);
        for (var i = 0; i < 20; i++)
        {
            table.Set(Key(i), Record(i, "first"));
        }
        Assert.Null(spill.FilePath);
        Assert.True(table.TryGetValue(Key(19), out var read));
        Assert.Equal(Json(RecordCheck.Sealed(Record(19, "first"))), Json(read));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryRecordIsWalkedOnceWhetherTheStoreFollowsTheKeysOrderOrNot(bool reSetInReverse)
    {
        var manifest = Path.Combine(_dir, ".buildimages-manifest.json");
        using var spill = new RecordSpill(manifest, memoryBudget: 0);
        var table = new RecordTable(spill);
        // Set from several threads (a new key's id follows the store's order); then a few set again (an edit: stored
        // after the rest, under ids in the middle), or every one set again from the last (stored in the reverse of
        // the ids' order).
        Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => table.Set(Key(i), Record(i, "first")));
        Assert.True(table.WalksInIdOrder);
        var again = reSetInReverse ? Enumerable.Range(0, 300).Reverse().ToList() : [17, 150];
        foreach (var i in again)
        {
            table.Set(Key(i), Record(i, "second"));
        }

        Assert.Equal(!reSetInReverse, table.WalksInIdOrder);
        var walked = table.All().ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(Key).Order(StringComparer.Ordinal), walked.Select(w => w.Key).Order(StringComparer.Ordinal));
        foreach (var (key, record) in walked)
        {
            var i = Enumerable.Range(0, 300).Single(n => Key(n) == key);
            Assert.Equal(Json(RecordCheck.Sealed(Record(i, again.Contains(i) ? "second" : "first"))), Json(record));
        }
        Assert.Equal(walked.Select(w => w.Key), table.Outlines().Select(o => o.Key));
        // Records removed are passed over.
        Assert.True(table.Remove(Key(5)));
        Assert.Equal(299, table.All().Count());
    }

    [Fact]
    public void ABuildWhoseRecordsWentToTheFileSavesTheSameManifestAndLeavesNoScratchFile()
    {
        using var site = new BuildFixture();
        for (var i = 0; i < 6; i++)
        {
            site.Items.Add(BuildFixture.Item($"extra-{i}", $"Extra post {i}"));
        }
        site.Save();
        var scratch = new List<string>();
        var observer = new RecordingObserver(_ => scratch.AddRange(Directory.EnumerateFiles(site.Site, "*" + AtomicFile.TempSuffix)));
        var spilled = site.Build(new BuildOptions { Parallelism = 1, RecordMemoryBudget = 0 }, observer);
        Assert.Equal(0, spilled.Failed);
        // With one worker, every item after the first reports its outputs after an earlier item's record was set.
        Assert.Contains(scratch, f => Path.GetFileName(f).Contains(".records.", StringComparison.Ordinal));
        var fromFile = File.ReadAllBytes(site.ManifestFile);

        var inMemory = site.Build(new BuildOptions { Force = true });
        Assert.Equal(spilled.Rendered, inMemory.Rendered);
        Assert.Equal(Encoding.UTF8.GetString(fromFile), File.ReadAllText(site.ManifestFile));
        Assert.Empty(Directory.EnumerateFiles(site.Site, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public void ADryRunSpillsToTheTempFolderAndLeavesTheSiteAndTheTempFolderAsTheyWere()
    {
        using var site = new BuildFixture();
        // About 60 bytes an outcome: 3,000 fill 64 KB blocks, which a budget of nothing sends to a file.
        for (var i = 0; i < 1000; i++)
        {
            site.Items.Add(BuildFixture.Item($"extra-{i:D4}", $"Extra post {i}"));
        }
        site.Save();
        var tempBefore = Directory.EnumerateFiles(Path.GetTempPath(), ".buildimages-dry-run*").ToList();
        // On Linux the scratch files have no name: the build's open files show them, as deleted files in the temp folder.
        var scratch = Path.Combine(Path.GetTempPath(), ".buildimages-dry-run");
        var seen = false;
        var observer = new RecordingObserver(_ => seen = seen || (OperatingSystem.IsLinux() && Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Any(fd => new FileInfo(fd).LinkTarget is { } file && file.StartsWith(scratch, StringComparison.Ordinal) && file.EndsWith("(deleted)", StringComparison.Ordinal))));

        var dry = site.Build(new BuildOptions { DryRun = true, Parallelism = 1, RecordMemoryBudget = 0 }, observer);

        Assert.True(dry.DryRun);
        Assert.Equal(0, dry.Failed);
        Assert.Equal((site.Items.Count * 3) + 1, dry.Rendered);
        Assert.Equal(dry.Rendered, dry.Outputs.Count(o => o.Status == OutputStatus.Rendered));
        Assert.Equal(site.Items.Select(i => $"og/{i["slug"]}.jpg").Append("notes/note-1.png").Order(StringComparer.Ordinal),
            dry.Outputs.Where(o => o.Path.EndsWith(".jpg", StringComparison.Ordinal) || o.Path.EndsWith(".png", StringComparison.Ordinal)).Select(o => o.Path));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(seen, "no nameless scratch file in the temp folder was open during the dry run");
        }
        Assert.False(Directory.Exists(site.Site));
        Assert.Equal(tempBefore, Directory.EnumerateFiles(Path.GetTempPath(), ".buildimages-dry-run*").ToList());
    }

    [Fact]
    public void ABuildReadsTheManifestARecordAtATimeAndKeepsNothingOfOneItCannotUse()
    {
        var manifest = Path.Combine(_dir, "stream.manifest.json");
        var store = new ManifestStore(manifest);
        var records = Enumerable.Range(0, 2000).ToDictionary(Key, i => RecordCheck.Sealed(Record(i, "v1")), StringComparer.Ordinal);
        var keys = records.Keys.Order(StringComparer.Ordinal).ToList();
        store.Save(new Dictionary<string, InputSet>(StringComparer.Ordinal), w =>
        {
            foreach (var key in keys)
            {
                w.WritePropertyName(key);
                JsonSerializer.Serialize(w, records[key], ManifestJsonContext.Default.ItemRecord);
            }
        });

        // Whole: every record handed over once, in the file's order, as it was saved.
        var handed = new List<(string Key, ItemRecord? Record)>();
        var (inputs, warnings) = store.Stream((key, record) => handed.Add((key, record)));
        Assert.NotNull(inputs);
        Assert.Empty(warnings);
        Assert.Equal(keys, handed.Select(h => h.Key));
        Assert.All(handed, h => Assert.Equal(Json(records[h.Key]), Json(h.Record!)));

        // Damaged in one record: that key is dropped (handed over as null) with a warning naming it; the rest stand.
        var text = File.ReadAllText(manifest);
        var victim = keys[1234];
        var at = text.IndexOf($"\"{victim}\"", StringComparison.Ordinal);
        var bytesAt = text.IndexOf("\"bytes\":", at, StringComparison.Ordinal);
        File.WriteAllText(manifest, text[..bytesAt] + "\"bytes\":9" + text[(bytesAt + "\"bytes\":".Length)..]);
        handed.Clear();
        (inputs, warnings) = store.Stream((key, record) => handed.Add((key, record)));
        Assert.NotNull(inputs);
        var warning = Assert.Single(warnings);
        Assert.Contains(victim, warning.Message, StringComparison.Ordinal);
        Assert.Equal([victim], handed.Where(h => h.Record is null).Select(h => h.Key));
        Assert.Equal(2000, handed.Count);

        // Cut off part-way: records were handed over before the end was reached (the file is read as it goes), and
        // the whole manifest is then ignored: a session opened over it holds none of them.
        File.WriteAllText(manifest, text[..(text.Length / 2)]);
        handed.Clear();
        (inputs, warnings) = store.Stream((key, record) => handed.Add((key, record)));
        Assert.Null(inputs);
        Assert.Contains("could not be read", Assert.Single(warnings).Message, StringComparison.Ordinal);
        Assert.InRange(handed.Count, 1, 1999);
        using var journal = new OutputJournal(OutputJournal.PathFor(manifest));
        var (session, opened) = ManifestSession.Open(store, new StatCache(), journal, new Primitives.ScratchBudget(0));
        using (session)
        {
            Assert.Single(opened);
            Assert.Empty(Keys(session.Records));
        }

        // Read back through a session (kept serialised, past the memory budget in the scratch file): the same records.
        File.WriteAllText(manifest, text);
        (session, opened) = ManifestSession.Open(store, new StatCache(), journal, new Primitives.ScratchBudget(0));
        using (session)
        {
            Assert.Empty(opened);
            Assert.Equal(keys, Keys(session.Records));
            foreach (var key in keys.Where((_, i) => i % 97 == 0).Reverse())
            {
                Assert.True(session.Records.TryGetValue(key, out var back));
                Assert.Equal(Json(records[key]), Json(back));
            }
            Assert.Equal(keys.Select(k => records[k].Variants[2].File), session.Records.Outlines().OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Outline.Variants[2].File));
        }
    }

    private static string Key(int i) => $"cards:og/post-{i:D4}";

    private static ItemRecord Record(int i, string version) => new()
    {
        Job = "cards",
        Item = $"post-{i:D4}",
        Source = "items.json",
        Output = $"og/post-{i:D4}",
        Template = "tpl/mini/card.sbn",
        Size = "240x126",
        PreKey = ContentHash.Of(Encoding.UTF8.GetBytes($"{i} {version}")),
        Fields = new(StringComparer.Ordinal) { ["title"] = version, ["slug"] = $"{i:x16}" },
        Inputs = "0123456789abcdef",
        Variants =
        [
            .. Enumerable.Range(0, 3).Select(v => new VariantRecord
            {
                Path = $"og/post-{i:D4}-{v}.webp",
                File = $"og/post-{i:D4}-{v}.webp",
                Key = ContentHash.Of(Encoding.UTF8.GetBytes($"{i} {v} {version}")),
                Options = "webp 240x126 q80 effort 2",
                Width = 240,
                Height = 126,
                Mime = "image/webp",
                Bytes = 1000 + i,
                Sha256 = ContentHash.Of(Encoding.UTF8.GetBytes($"bytes {i} {v} {version}")),
                Quality = 80,
            }),
        ],
    };

    private static string Json(ItemRecord record) => JsonSerializer.Serialize(record, ManifestJsonContext.Default.ItemRecord);

    private static string Properties(RecordTable table)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            table.WriteProperties(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<string> Keys(RecordTable table) => [.. table.All().Select(r => r.Key).Order(StringComparer.Ordinal)];

    [Fact]
    public void ATableOfManyRecordsFilesItsEntriesSortsItsKeysInFiledRunsAndASnapshotStillKeepsWhatItSaw()
    {
        // 9,000 records (three chunks of entries, one held; keys sorted in runs of 1,000), set from four threads in
        // shuffled order; then a snapshot, and changes, removals and new records after it.
        using var spill = new RecordSpill(Path.Combine(_dir, ".buildimages-manifest.json"), memoryBudget: 0);
        var table = new RecordTable(spill, entryChunksHeld: 1, keysSortedInMemory: 1_000);
        var random = new Random(23);
        var order = Enumerable.Range(0, 9_000).OrderBy(_ => random.Next()).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => table.Set(Key(i), Record(i, "v1")));
        var before = table.Snapshot();
        var changed = order.Take(500).ToHashSet();
        var removed = order.Skip(500).Take(100).ToHashSet();
        foreach (var i in changed)
        {
            table.Set(Key(i), Record(i, "v2"));
        }
        foreach (var i in removed)
        {
            Assert.True(table.Remove(Key(i)));
        }
        for (var i = 9_000; i < 9_050; i++)
        {
            table.Set(Key(i), Record(i, "v1"));
        }

        var expected = Enumerable.Range(0, 9_050).Where(i => !removed.Contains(i)).Select(Key).Order(StringComparer.Ordinal).ToList();
        using (var doc = JsonDocument.Parse(Properties(table)))
        {
            // Written in the keys' order, merged from the filed runs, each record as it stands now.
            Assert.Equal(expected, doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.All(doc.RootElement.EnumerateObject().Where((_, n) => n % 97 == 0), p =>
            {
                var i = int.Parse(p.Name[^4..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(changed.Contains(i) ? "v2" : "v1", p.Value.GetProperty("fields").GetProperty("title").GetString());
            });
        }
        Assert.Equal(expected.Count, table.OfJob("cards").Count());
        // The snapshot, its entries shared with the table's filed chunks: as it stood.
        using (var doc = JsonDocument.Parse(Properties(before)))
        {
            Assert.Equal(Enumerable.Range(0, 9_000).Select(Key).Order(StringComparer.Ordinal), doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.All(doc.RootElement.EnumerateObject(), p => Assert.Equal("v1", p.Value.GetProperty("fields").GetProperty("title").GetString()));
        }
        Assert.True(before.TryGetValue(Key(order[0]), out var old));
        Assert.Equal("v1", old.Fields["title"]?.ToString());
        Assert.True(table.TryGetValue(Key(order[0]), out var now));
        Assert.Equal("v2", now.Fields["title"]?.ToString());
    }

    [Fact]
    public void TheTableWritesItsRecordsInOrdinalKeyOrderAndASnapshotKeepsWhatItSaw()
    {
        using var spill = new RecordSpill(Path.Combine(_dir, ".buildimages-manifest.json"), memoryBudget: 2048);
        var table = new RecordTable(spill);
        // UTF-16's order, not UTF-8's: a character above U+FFFF sorts before U+FFFD in UTF-16 and after it in UTF-8.
        string[] keys = ["posts:z", "posts:ü", "posts:😀", "posts:\uFFFD", "posts:a", "post:s", "posts:A", "a:b:c"];
        ItemRecord Of(string key, int i, string version) => Record(i, version) with { Job = key[..key.IndexOf(':', StringComparison.Ordinal)] };
        for (var i = 0; i < keys.Length; i++)
        {
            table.Set(keys[i], Of(keys[i], i, "v1"));
        }
        Assert.True(table.Remove("posts:z"));
        Assert.False(table.Remove("posts:z"));
        Assert.False(table.Remove("never"));
        var before = table.Snapshot();
        table.Set("posts:late", Of("posts:late", 99, "v1"));
        table.Set("posts:a", Of("posts:a", 4, "v2"));
        Assert.True(table.Remove("posts:A"));

        var expected = keys.Where(k => k != "posts:z").Append("posts:late").Where(k => k != "posts:A").Order(StringComparer.Ordinal).ToList();
        using (var doc = JsonDocument.Parse(Properties(table)))
        {
            Assert.Equal(expected, doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("v2", doc.RootElement.GetProperty("posts:a").GetProperty("fields").GetProperty("title").GetString());
        }
        Assert.Equal(expected, Keys(table));
        Assert.Equal(["posts"], table.OfJob("posts").Select(r => r.Job).Distinct());
        Assert.Equal(expected.Count(k => k.StartsWith("posts:", StringComparison.Ordinal)), table.OfJob("posts").Count());

        // The snapshot: as the table stood, whatever came after.
        var then = keys.Where(k => k != "posts:z").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(then, Keys(before));
        Assert.True(before.TryGetValue("posts:a", out var old));
        Assert.Equal("v1", old.Fields["title"]?.ToString());
        Assert.False(before.TryGetValue("posts:late", out _));

        table.Clear();
        Assert.Empty(Keys(table));
        Assert.False(table.TryGetValue("posts:a", out _));
        Assert.Equal(then, Keys(before));
    }
}
