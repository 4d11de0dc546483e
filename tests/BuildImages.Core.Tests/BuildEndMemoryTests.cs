using System.Security.Cryptography;
using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// What a large build holds until its end is held compactly and written a block at a time, with the same bytes and
/// meaning as before: the stat cache streamed, keys packed into 32 bytes, the pending-outputs journal kept only on disk,
/// output times in a set of entries, the logged outcomes in blocks (spilled to a nameless scratch file past a budget).
/// </summary>
public sealed class BuildEndMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-end-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheStatCacheStreamedOutAndInHoldsEveryMemberAndEveryOutputTime()
    {
        // Enough outputs for many flushes of the writer and many blocks of the reader, a non-ASCII name that the encoder
        // escapes, and every member set.
        var outputs = Enumerable.Range(0, 40_000).Select(i => new KeyValuePair<string, long>($"og/post-{i:D6}-é.webp", 638_000_000_000_000_000L + i))
            .OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var cache = new StatCache
        {
            Native = new NativeRecord("stamp \"quoted\"", "vips 8.18.7"),
            Metadata = "abc",
            Files = new(StringComparer.Ordinal)
            {
                ["data/posts.json"] = new FileRecord(12, 34, new string('a', 64)),
                ["templates/card.sbn"] = new FileRecord(56, 78, new string('b', 64)),
            },
        };
        var streamed = Path.Combine(_dir, "streamed.cache.json");
        using (var stream = File.Create(streamed))
        {
            cache.Write(stream, Timed(cache, outputs));
        }

        // The file is one JSON object whose check is the SHA-256 of the rest: {"check":"<hash>",…} is {…} checked.
        var bytes = File.ReadAllBytes(streamed);
        var json = BuildFixture.ReadChecked(bytes)!;
        Assert.Equal(bytes.Length - "\"check\":\"\",".Length - 64, json.Length);
        Assert.StartsWith($"{{\"check\":\"{ContentHash.Of(json)}\",\"version\":1,", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(outputs.Count, document.RootElement.GetProperty("outputCount").GetInt32());
        Assert.Equal(outputs.Select(o => (o.Key, o.Value)), document.RootElement.GetProperty("outputs").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())));

        var loaded = StatCache.Load(streamed);
        Assert.Equal(outputs.Count, loaded.OutputTimes.Count);
        Assert.All(outputs, o => Assert.True(loaded.OutputTimes.TryGetValue(o.Key, out var ticks) && ticks == o.Value, o.Key));
        Assert.Equal(cache.Native, loaded.Native);
        Assert.Equal("abc", loaded.Metadata);
        Assert.Equal(cache.Files, loaded.Files);
    }

    [Theory]
    // Not this version, members of the wrong type, a document cut short or followed by more: each an empty cache.
    [InlineData("{\"version\":2,\"outputs\":{\"og/a.webp\":1}}")]
    [InlineData("{\"version\":1,\"outputs\":{\"og/a.webp\":\"1\"}}")]
    [InlineData("{\"version\":1,\"outputs\":[\"og/a.webp\"]}")]
    [InlineData("{\"version\":1,\"outputCount\":-1,\"outputs\":{\"og/a.webp\":1}}")]
    [InlineData("{\"version\":1,\"files\":{\"data/a.json\":3},\"outputs\":{\"og/a.webp\":1}}")]
    [InlineData("{\"version\":1,\"outputs\":{\"og/a.webp\":1}")]
    [InlineData("{\"version\":1,\"outputs\":{\"og/a.webp\":1}}{}")]
    [InlineData("{\"version\":1,\"native\":\"x\",\"outputs\":{\"og/a.webp\":1}}")]
    [InlineData("{\"version\":1,\"outputs\":{\"og/\\ud800.webp\":1}}")]
    [InlineData("{\"version\":1,\"metadata\":\"\\udc00\",\"outputs\":{\"og/a.webp\":1}}")]
    public void AStatCacheThatIsNotWhatThisVersionWritesLoadsEmpty(string json)
    {
        var file = Path.Combine(_dir, "odd.cache.json");
        using (var stream = File.Create(file))
        {
            CheckedJson.Write(stream, w => w.WriteRawValue(json, skipInputValidation: true));
        }
        var loaded = StatCache.Load(file);
        Assert.Equal(0, loaded.OutputTimes.Count);
        Assert.Null(loaded.Metadata);
    }

    [Fact]
    public void AStatCacheWithMembersItDoesNotKnowAndAHugeCountKeepsWhatItKnows()
    {
        var file = Path.Combine(_dir, "extra.cache.json");
        // A member from a later version (a value larger than a block), a count that is a lie, and null files.
        var extra = "{\"note\":\"" + new string('x', 200_000) + "\",\"more\":[1,{\"a\":[]}]}";
        var json = $"{{\"version\":1,\"later\":{extra},\"metadata\":\"m\",\"files\":null,\"outputCount\":2000000000,\"outputs\":{{\"og/a.webp\":1,\"../b.webp\":2,\"og/a.webp\":3}}}}";
        using (var stream = File.Create(file))
        {
            CheckedJson.Write(stream, w => w.WriteRawValue(json, skipInputValidation: true));
        }
        var loaded = StatCache.Load(file);
        Assert.Equal("m", loaded.Metadata);
        Assert.Empty(loaded.Files);
        // The path outside the output folder is not kept; of a name given twice, the last time is (as a serialiser's dictionary).
        Assert.Equal(["og/a.webp"], loaded.OutputTimes.Files);
        Assert.True(loaded.OutputTimes.TryGetValue("og/a.webp", out var ticks));
        Assert.Equal(3, ticks);
    }

    [Fact]
    public void AMemberItDoesNotKnowIsSkippedWhereMoreOfTheFileFollowsIt()
    {
        // The unknown member lies whole in a block that is not the file's last: the outputs after it need more blocks.
        var file = Path.Combine(_dir, "later.cache.json");
        var outputs = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"og/p-{i:D5}.webp\":{i}"));
        var json = $"{{\"version\":1,\"later\":{{\"list\":[1,2,{{\"a\":\"{new string('x', 1_000)}\"}}]}},\"metadata\":\"m\",\"outputs\":{{{outputs}}}}}";
        using (var stream = File.Create(file))
        {
            CheckedJson.Write(stream, w => w.WriteRawValue(json, skipInputValidation: true));
        }
        Assert.True(new FileInfo(file).Length > 4 << 16);
        var loaded = StatCache.Load(file);
        Assert.Equal("m", loaded.Metadata);
        Assert.Equal(20_000, loaded.OutputTimes.Count);
        Assert.True(loaded.OutputTimes.TryGetValue("og/p-19999.webp", out var ticks));
        Assert.Equal(19_999, ticks);
    }

    [Fact]
    public void AStreamedStatCacheWithOneByteChangedIsIgnored()
    {
        var file = Path.Combine(_dir, "damaged.cache.json");
        using (var stream = File.Create(file))
        {
            var cache = new StatCache { Metadata = "m" };
            cache.Write(stream, Timed(cache, [new("og/a.webp", 1), new("og/b.webp", 2)]));
        }
        Assert.Equal(2, StatCache.Load(file).OutputTimes.Count);
        var bytes = File.ReadAllBytes(file);
        var at = Array.LastIndexOf(bytes, (byte)'2');
        bytes[at] = (byte)'3';
        File.WriteAllBytes(file, bytes);
        Assert.Equal(0, StatCache.Load(file).OutputTimes.Count);
    }

    [Fact]
    public void AnEmptyObjectAndOneOfManyBlocksReadBackAsWritten()
    {
        foreach (var json in new[] { "{}", "{\"a\":1}", "{\"a\":\"" + new string('x', 200_000) + "\"}" })
        {
            using var stream = new MemoryStream();
            CheckedJson.Write(stream, w => w.WriteRawValue(json, skipInputValidation: true));
            Assert.Equal(json, System.Text.Encoding.UTF8.GetString(BuildFixture.ReadChecked(stream.ToArray())!));
            Assert.EndsWith(json[1..], System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void APreKeyClaimIsTheClaimOfTheSameParts()
    {
        string[] parts = ["pre", "webp 1200x630 q80 effort 2"];
        Assert.Equal(ContentHash.Claim(parts), ContentHash.ClaimOf(ContentHash.OfParts(parts)));
        Assert.NotEqual(ContentHash.Claim(parts), ContentHash.ClaimOf(ContentHash.OfParts("pre", "jpeg")));
    }

    [Fact]
    public void PartsHashedOneAtATimeHashAsTheirJoinedText()
    {
        // Long parts (past the first buffer), non-ASCII, an empty part and none at all.
        string[][] cases = [[], [""], ["listed 1", "job posts", "data posts/ünïcødé-😀.md"], ["a", new string('é', 700), "", "b"]];
        foreach (var parts in cases)
        {
            using var hash = new PartsHash();
            foreach (var part in parts)
            {
                hash.Add(part);
            }
            Assert.Equal(ContentHash.OfParts(parts), hash.Finish());
        }
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("original-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("")]
    [InlineData(null)]
    public void AnOutcomesKeyReadsBackAsTheTextGiven(string? key)
    {
        var outcome = new OutputOutcome("og/a.webp", "blog/a", OutputStatus.Rendered, null, 1200, 630, "image/webp", 10, key);
        Assert.Equal(key, outcome.Key);
        Assert.Equal(key, (outcome with { Bytes = 11 }).Key);
        Assert.Equal(outcome, new OutputOutcome("og/a.webp", "blog/a", OutputStatus.Rendered, null, 1200, 630, "image/webp", 10, key is null ? null : new string(key.AsSpan())));
        var other = new string('f', 64);
        Assert.Equal(other, (outcome with { Key = other }).Key);
        Assert.NotEqual(outcome, outcome with { Key = other });
    }

    [Fact]
    public void TheJournalKeepsOnlyTheLinesTheSavedManifestDoesNotRecordAndTheLastLineOfAnOutput()
    {
        var file = Path.Combine(_dir, ".buildimages-manifest.pending");
        var recorded = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        using var journal = new OutputJournal(file);
        journal.Writing("blog:a", "og/a.webp", 10, Sha('1'));
        journal.Writing("blog:b", "og/b.webp", 20, Sha('2'));
        // b written again (its last write is what the file holds), then c, which no saved record names yet.
        journal.Writing("blog:b", "og/b.webp", 21, Sha('3'));
        journal.Writing("blog:c", "og/c.webp", 30, Sha('4'));
        recorded["blog:a"] = Record("blog:a", "og/a.webp", Sha('1'));
        recorded["blog:b"] = Record("blog:b", "og/b.webp", Sha('2'));

        journal.Saved(long.MaxValue, key => recorded.GetValueOrDefault(key));

        var lines = File.ReadAllLines(file);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(Sha('3') + "\t21\tog/b.webp\tblog:b", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(Sha('4') + "\t30\tog/c.webp\tblog:c", lines[1], StringComparison.Ordinal);

        // Appends after a save go on in the rewritten file; once every line is recorded the journal is gone.
        journal.Writing("blog:d", "og/d.webp", 40, Sha('5'));
        Assert.Equal(3, File.ReadAllLines(file).Length);
        recorded["blog:b"] = Record("blog:b", "og/b.webp", Sha('3'));
        recorded["blog:c"] = Record("blog:c", "og/c.webp", Sha('4'));
        recorded["blog:d"] = Record("blog:d", "og/d.webp", Sha('5'));
        journal.Saved(long.MaxValue, key => recorded.GetValueOrDefault(key));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void LinesWrittenAfterACheckpointsMarkAreKeptAsTheyAreWhateverTheSavedRecordsSay()
    {
        var file = Path.Combine(_dir, ".buildimages-manifest.pending");
        var recorded = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        using var journal = new OutputJournal(file);
        // Non-ASCII names: the mark is in bytes, the lines are read as text.
        journal.Writing("blog:é", "og/é.webp", 10, Sha('1'));
        journal.Writing("blog:b", "og/b.webp", 20, Sha('2'));
        var mark = journal.Mark();
        Assert.Equal(new FileInfo(file).Length, mark);
        // Written while the save ran: recorded by the time it ends, but not in the snapshot it saved.
        journal.Writing("blog:c", "og/c.webp", 30, Sha('3'));
        journal.Writing("blog:d", "og/d.webp", 40, Sha('4'));
        var tail = File.ReadAllLines(file)[2..];
        recorded["blog:é"] = Record("blog:é", "og/é.webp", Sha('1'));
        recorded["blog:c"] = Record("blog:c", "og/c.webp", Sha('3'));
        recorded["blog:d"] = Record("blog:d", "og/d.webp", Sha('4'));

        journal.Saved(mark, key => recorded.GetValueOrDefault(key));

        // é is done with; b (before the mark, not recorded) stays; c and d stay as written.
        var lines = File.ReadAllLines(file);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(Sha('2') + "\t20\tog/b.webp\tblog:b", lines[0], StringComparison.Ordinal);
        Assert.Equal(tail, lines[1..]);

        // The next save covers them all.
        recorded["blog:b"] = Record("blog:b", "og/b.webp", Sha('2'));
        journal.Saved(journal.Mark(), key => recorded.GetValueOrDefault(key));
        Assert.False(File.Exists(file));
    }

    private static string Sha(char c) => new(c, 64);

    private static ItemRecord Record(string key, string file, string sha) => new()
    {
        Job = key.Split(':')[0],
        Item = key.Split(':')[1],
        Source = "items.json",
        Output = key.Split(':')[1],
        Template = "t",
        Size = "1200x630",
        PreKey = "p",
        Fields = new(StringComparer.Ordinal),
        Inputs = "i",
        Variants = [new VariantRecord { Path = file, File = file, Key = sha, Options = "o", Width = 1, Height = 1, Mime = "image/webp", Bytes = 1, Sha256 = sha }],
    };

    [Fact]
    public void TheOutputTimeTableKeepsOneEntryPerFileAsAnIdInTheBuildsPool()
    {
        var paths = new PathPool();
        var table = new OutputTimeTable(paths);
        var name = "og/post-1.webp";
        table.Set(name, 1);
        table.Set(new string(name.AsSpan()), 2);
        Assert.Equal(1, table.Count);
        Assert.True(table.TryGetValue(new string(name.AsSpan()), out var ticks));
        Assert.Equal(2, ticks);
        Assert.True(table.TryGetValue(paths.Find(name), out ticks));
        Assert.Equal(2, ticks);
        // A path the pool holds for another reason (an outcome's) has no time until one is set.
        var logged = paths.Add("og/failed.webp");
        Assert.False(table.TryGetValue(logged, out _));
        Assert.False(table.TryGetValue("og/post-2.webp", out _));
        Assert.False(table.TryGetValue(-1, out _));
        Assert.Equal(1, table.Count);
        table.Set("og/failed.webp", 5);
        Assert.True(table.TryGetValue(logged, out ticks));
        Assert.Equal(5, ticks);
        Assert.Equal(2, paths.Count);

        // Worker threads set times at once: every one is kept.
        Parallel.For(0, 20_000, i => table.Set($"og/p-{i}.webp", i));
        Assert.Equal(20_002, table.Count);
        Assert.True(table.TryGetValue("og/p-19999.webp", out ticks));
        Assert.Equal(19_999, ticks);
        Assert.Equal(["og/failed.webp", "og/post-1.webp"], table.Files.Where(f => !f.StartsWith("og/p-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>Sets <paramref name="outputs"/>' times in the cache's table; their ids, in the order given, as the stat cache's writer takes them.</summary>
    private static List<int> Timed(StatCache cache, IEnumerable<KeyValuePair<string, long>> outputs) =>
        [.. outputs.Select(o =>
        {
            cache.OutputTimes.Set(o.Key, o.Value);
            return cache.OutputTimes.Paths.Find(o.Key);
        })];

    [Fact]
    public void OutcomesSpilledToTheScratchFileReadBackInPathOrderAsLogged()
    {
        var manifest = Path.Combine(_dir, "buildimages.manifest.json");
        var spill = new OutcomeSpill(manifest, memoryBudget: 0);
        var random = new Random(7);
        var logged = new List<OutputOutcome>();
        foreach (var i in Enumerable.Range(0, 20_000).OrderBy(_ => random.Next()))
        {
            var status = (OutputStatus)(i % Enum.GetValues<OutputStatus>().Length);
            RenderReason? reason = i % 3 == 0 ? null : new RenderReason((RenderReasonKind)(i % 14), $"data changed (título {i})");
            var key = (i % 4) switch
            {
                0 => null,
                1 => "item:" + i,
                _ => ContentHash.Of(BitConverter.GetBytes(i)),
            };
            var outcome = new OutputOutcome($"og/é-{i:D5}{(i % 2 == 0 ? ".webp" : "-600.jpg")}", $"cards/pöst-{i}", status, reason, 1200 - i % 7, 630, i % 2 == 0 ? "image/webp" : "image/jpeg", i * 1000L, key);
            spill.Add(outcome);
            logged.Add(outcome);
        }
        // Twenty thousand outcomes are several blocks: all but the last went to the file, which has no name in the folder.
        Assert.True(spill.UsesFile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.EnumerateFiles(_dir));
        }

        var sorted = spill.SortedByPath();
        Assert.Equal(logged.Count, sorted.Count);
        Assert.Equal(logged.OrderBy(o => o.Path, StringComparer.Ordinal), sorted);
        Assert.Equal(logged.Single(o => o.Path == "og/é-00003-600.jpg"), sorted.Single(o => o.Path == "og/é-00003-600.jpg"));
        Assert.Throws<InvalidOperationException>(() => spill.Add(logged[0]));
    }

    [Fact]
    public void OutcomesOfARunOfSortedPathsAndOfPathsOutsideItComeBackInPathOrderWithASecondOutcomeAfterTheFirst()
    {
        var paths = new PathPool();
        // The pool's sorted run, as a stat cache loads it; this build's outcomes name some of it and new paths.
        var run = Enumerable.Range(0, 5_000).Select(i => $"og/p-{i * 2:D5}.webp").ToList();
        run.ForEach(p => paths.Add(p));
        var log = new OutcomeSpill(Path.Combine(_dir, "buildimages.manifest.json"), new ScratchBudget(0), paths);
        var random = new Random(29);
        var logged = new List<OutputOutcome>();
        var names = run.Where(_ => random.Next(4) > 0).Concat(Enumerable.Range(0, 300).Select(i => $"og/p-{(random.Next(5_000) * 2) + 1:D5}-{i}.webp"))
            .Concat(["a", "og/p-", "zz", "og/\uE000", "og/\U0001F600"]).OrderBy(_ => random.Next()).ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var outcome = new OutputOutcome(name, "cards/" + i, OutputStatus.Skipped, null, 1200, 630, "image/webp", i, ContentHash.Of(BitConverter.GetBytes(i)));
            log.Add(outcome);
            logged.Add(outcome);
            if (i % 500 == 0)
            {
                // A second outcome of one path: kept, after the first.
                var again = outcome with { Status = OutputStatus.Failed, Key = null, Bytes = 0 };
                log.Add(again);
                logged.Add(again);
            }
        }
        var sorted = log.SortedByPath();
        var expected = logged.Select((o, i) => (o, i)).OrderBy(p => p.o.Path, StringComparer.Ordinal).ThenBy(p => p.i).Select(p => p.o).ToList();
        Assert.Equal(expected.Count, sorted.Count);
        Assert.Equal(expected, sorted);
        Assert.Equal(expected, Enumerable.Range(0, sorted.Count).Select(i => sorted[i]));
        Assert.All(log.SortedWithPathIds(), p => Assert.Equal(paths.PathOf(p.Path), p.Outcome.Path));
        Assert.Throws<InvalidOperationException>(() => log.Add(logged[0]));
    }

    [Fact]
    public void ADryRunsOutcomesStayInMemoryWhateverTheirNumber()
    {
        var spill = new OutcomeSpill(manifestFile: null, memoryBudget: 0);
        for (var i = 0; i < 5_000; i++)
        {
            spill.Add(new OutputOutcome($"og/{i:D4}.webp", "cards/" + i, OutputStatus.Rendered, null, 1200, 630, "image/webp", 0, null));
        }
        Assert.False(spill.UsesFile);
        Assert.Equal("og/4999.webp", spill.SortedByPath()[^1].Path);
    }

    [Fact]
    public void TheUpToDateRecordsOutputsAreThePlannedOutcomesInPathOrderWithTheirFilesAndTimes()
    {
        var paths = new PathPool();
        var log = new OutcomeSpill(Path.Combine(_dir, "buildimages.manifest.json"), new ScratchBudget(0), paths);
        var times = new OutputTimeTable(paths);
        var random = new Random(11);
        var planned = new List<UpToDateOutput>();
        foreach (var i in Enumerable.Range(0, 12_000).OrderBy(_ => random.Next()))
        {
            var path = $"og/card-{i:D5}{(i % 2 == 0 ? ".webp" : "-600.jpg")}";
            // Hashed names differ from the path; a key of another shape than a SHA-256 is kept as text.
            var file = i % 5 == 0 ? path.Replace("card", "card.0123456789", StringComparison.Ordinal) : path;
            var key = i % 7 == 0 ? "photo:" + i : ContentHash.Of(BitConverter.GetBytes(i));
            var output = new UpToDateOutput(path, file, $"cards/ünï-{i}", 1200, 630 + i % 3, i % 2 == 0 ? "image/webp" : "image/jpeg", i * 10L, key, 638_000_000_000_000_000L + i);
            log.Add(new OutputOutcome(path, output.Item, i % 3 == 0 ? OutputStatus.Rendered : OutputStatus.Skipped, null, output.Width, output.Height, output.Mime, output.Bytes, key));
            times.Set(file, output.ModifiedTicks);
            planned.Add(output);
            if (i % 1000 == 0)
            {
                // Outcomes of outputs the plan does not hold: pruned ones, which the record must not list.
                log.Add(new OutputOutcome($"og/gone-{i}.webp", "cards/gone", OutputStatus.Pruned, null, 1200, 630, "image/webp", 5, key));
            }
        }
        UpToDateOutputs Gathered(Func<UpToDateOutput, UpToDateOutput> asRecorded)
        {
            var list = new UpToDateOutputs(paths);
            foreach (var o in planned.Select(asRecorded))
            {
                Assert.True(list.Add(paths.Find(o.Path), paths.Find(o.File), o.Width, o.Height, o.Mime, o.Bytes, o.Key));
            }
            return list;
        }

        var gathered = Gathered(o => o);
        // A path is planned once.
        Assert.False(gathered.Add(paths.Find(planned[0].Path), paths.Find(planned[0].File), 1, 1, "image/webp", 1, planned[0].Key));
        var written = gathered.From(log.SortedWithPathIds(), times);
        Assert.Equal(planned.Count, written.Count);
        Assert.Equal(planned.OrderBy(o => o.Path, StringComparer.Ordinal), written);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.EnumerateFiles(_dir));
        }

        // The log says otherwise of an output than its record does (its bytes, its key, its file): nothing is written from it.
        var (otherBytes, otherKey, otherFile) = (planned[17], planned[18], planned.First(o => o.File != o.Path));
        foreach (var wrong in new[] { Gathered(o => o == otherBytes ? o with { Bytes = o.Bytes + 1 } : o), Gathered(o => o == otherKey ? o with { Key = ContentHash.Of([1]) } : o), Gathered(o => o == otherFile ? o with { File = o.Path } : o) })
        {
            Assert.Throws<InvalidDataException>(() => wrong.From(log.SortedWithPathIds(), times).ToList());
        }
        // A planned output the log has no outcome of.
        var more = Gathered(o => o);
        paths.Add("og/never-logged.webp");
        var oneMore = new UpToDateOutputs(paths);
        foreach (var o in planned.Append(planned[0] with { Path = "og/never-logged.webp", File = "og/never-logged.webp" }))
        {
            Assert.True(oneMore.Add(paths.Find(o.Path), paths.Find(o.File), o.Width, o.Height, o.Mime, o.Bytes, o.Key));
        }
        times.Set("og/never-logged.webp", 1);
        Assert.Throws<InvalidDataException>(() => oneMore.From(log.SortedWithPathIds(), times).ToList());
        Assert.Equal(planned.Count, more.From(log.SortedWithPathIds(), times).Count());
    }

    [Fact]
    public void ARecordLargerThanABlockIsKeptWholeInMemoryOrInTheFile()
    {
        foreach (var budget in new long[] { 0, long.MaxValue })
        {
            var blocks = new ScratchBlocks(Path.Combine(_dir, "m.json"), "test", new ScratchBudget(budget));
            var big = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
            var first = blocks.Append(big);
            var small = blocks.Append([1, 2, 3]);
            var second = blocks.Append(big.AsSpan(1000, 70_000));
            var tail = blocks.Append([4]);
            // Past a mebibyte a place holds no length (its block is the record's alone); an empty record has no block.
            var huge = new byte[(3 << 20) + 5];
            new Random(3).NextBytes(huge);
            var hugePlace = blocks.Append(huge);
            var empty = blocks.Append([]);
            var after = blocks.Append([5, 6]);
            var last = blocks.Append(huge.AsSpan(0, 1 << 20));
            Assert.Equal(big, blocks.Read(first).ToArray());
            Assert.Equal([1, 2, 3], blocks.Read(small).ToArray());
            Assert.Equal(big.AsSpan(1000, 70_000).ToArray(), blocks.Read(second).ToArray());
            Assert.Equal([4], blocks.Read(tail).ToArray());
            Assert.Equal(huge, blocks.Read(hugePlace).ToArray());
            Assert.Equal(0, blocks.Read(empty).Count);
            Assert.Equal([5, 6], blocks.Read(after).ToArray());
            Assert.Equal(huge.AsSpan(0, 1 << 20).ToArray(), blocks.Read(last).ToArray());
            Assert.Equal(budget == 0, blocks.UsesFile);
            // Read by a reader that keeps a block whole: in order, out of order, and back, each the same bytes.
            var reader = new ScratchBlocks.InOrderReader(blocks);
            byte[][] expected = [big, [1, 2, 3], big.AsSpan(1000, 70_000).ToArray(), [4], huge, [], [5, 6], huge.AsSpan(0, 1 << 20).ToArray()];
            ScratchBlocks.Place[] kept = [first, small, second, tail, hugePlace, empty, after, last];
            foreach (var i in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 3, 0, 6, 1, 7, 4, 2 })
            {
                Assert.Equal(expected[i], reader.Read(kept[i]).ToArray());
            }
            // Read block by block in the order kept: every record's bytes end to end, and nothing else (no block's unused end).
            Assert.Equal(expected.SelectMany(r => r).ToArray(), blocks.InOrder().SelectMany(b => b.ToArray()).ToArray());
        }
    }

    [Fact]
    public void AnArrayKeptAsABlockOfItsOwnReadsBackWholeAndInPartsAmongOtherRecords()
    {
        foreach (var budget in new long[] { 0, 3 << 20, long.MaxValue })
        {
            var blocks = new ScratchBlocks(Path.Combine(_dir, "m.json"), "test", new ScratchBudget(budget));
            var random = new Random(9);
            var arrays = Enumerable.Range(0, 4).Select(i => new byte[1 << 20]).ToArray();
            foreach (var array in arrays)
            {
                random.NextBytes(array);
            }
            var before = blocks.Append([1, 2, 3]);
            // Arrays kept as blocks, some of them only in part, between small records (which close the block they fill).
            var kept = new[] { blocks.AppendBlock(arrays[0], 1 << 20), blocks.AppendBlock(arrays[1], 700_001) };
            var between = blocks.Append([4, 5]);
            kept = [.. kept, blocks.AppendBlock(arrays[2], 1), blocks.AppendBlock(arrays[3], (1 << 20) - 3)];
            var lengths = new[] { 1 << 20, 700_001, 1, (1 << 20) - 3 };
            Assert.True(blocks.AppendBlock(arrays[0], 0).IsEmpty);
            Assert.Equal([1, 2, 3], blocks.Read(before).ToArray());
            Assert.Equal([4, 5], blocks.Read(between).ToArray());
            Assert.Equal(budget != long.MaxValue, blocks.UsesFile);
            var part = new byte[5000];
            for (var k = 0; k < kept.Length; k++)
            {
                Assert.Equal(arrays[k].AsSpan(0, lengths[k]).ToArray(), blocks.Read(kept[k]).ToArray());
                // Parts from the start, the middle, running past the end, and from past the end.
                foreach (var offset in new[] { 0, lengths[k] / 2, Math.Max(0, lengths[k] - 100), lengths[k], lengths[k] + 7 })
                {
                    var read = blocks.ReadPart(kept[k], offset, part);
                    Assert.Equal(Math.Clamp(lengths[k] - offset, 0, part.Length), read);
                    Assert.Equal(arrays[k].AsSpan(Math.Min(offset, lengths[k]), read).ToArray(), part.AsSpan(0, read).ToArray());
                }
            }
            // Read in order: the records and the arrays' bytes end to end.
            byte[][] expected = [[1, 2, 3], arrays[0], arrays[1][..700_001], [4, 5], arrays[2][..1], arrays[3][..((1 << 20) - 3)]];
            Assert.Equal(expected.SelectMany(r => r).ToArray(), blocks.InOrder().SelectMany(b => b.ToArray()).ToArray());
        }
    }

    [Fact]
    public void CountedRecordsOfEveryCountLengthReadBackFromMemoryOrTheFileAlone()
    {
        // Lengths at each edge of the 7-bit count (one byte, two, three), records longer than the first read of one
        // from the file (256 bytes), larger than a block (alone in theirs), an empty one, and many small ones that pad.
        var sizes = new[] { 0, 1, 3, 127, 128, 255, 256, 257, 16_383, 16_384, 70_000, 2_097_151, 2_097_152, 5, 6, 7 }
            .Concat(Enumerable.Range(0, 3_000).Select(i => 20 + (i * 37 % 240)));
        var records = sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)((b * 7) + i)).ToArray()).ToList();
        foreach (var budget in new long[] { 0, 128 * 1024, long.MaxValue })
        {
            var blocks = new ScratchBlocks(Path.Combine(_dir, "m.json"), "test", new ScratchBudget(budget));
            var places = records.Select((r, i) => i % 2 == 0 ? blocks.AppendCounted(r) : blocks.AppendCounted(r.Length, r, static (to, bytes) => bytes.CopyTo(to))).ToList();

            Assert.Equal(budget != long.MaxValue, blocks.UsesFile);
            Assert.Equal(4, System.Runtime.CompilerServices.Unsafe.SizeOf<ScratchBlocks.CountedPlace>());
            Assert.DoesNotContain(places, p => p.IsEmpty);
            Assert.All(places, p => Assert.Equal(0, p.Offset % ScratchBlocks.CountedPlace.Alignment));
            // Each on its own, in order and against it; then through a reader that keeps a block whole, both ways.
            Assert.Equal(records, places.Select(p => blocks.Read(p).ToArray()));
            Assert.Equal(Enumerable.Reverse(records), Enumerable.Reverse(places).Select(p => blocks.Read(p).ToArray()));
            var reader = new ScratchBlocks.InOrderReader(blocks);
            Assert.Equal(records, places.Select(p => reader.Read(p).ToArray()));
            Assert.Equal(Enumerable.Reverse(records), Enumerable.Reverse(places).Select(p => reader.Read(p).ToArray()));
        }
        Assert.Equal(0, blocksRead(default).Count);
        // Past 16 GiB of one store's records a place cannot say where: a clear error, not a wrapped place.
        Assert.Equal(262_142, ScratchBlocks.CountedPlace.At(262_142, 65_532).Block);
        Assert.Throws<InvalidOperationException>(() => ScratchBlocks.CountedPlace.At(262_143, 0));
        Assert.Throws<InvalidOperationException>(() => ScratchBlocks.CountedPlace.At(0, 2));

        ArraySegment<byte> blocksRead(ScratchBlocks.CountedPlace place) => new ScratchBlocks(null, "test", new ScratchBudget(0)).Read(place);
    }

    [Fact]
    public void FilesKeptAsTheRecordsBytesReadBackAsAddedAndAreWrittenAsTheRecordWritesThem()
    {
        // Keys of every length class of the 7-bit count (one byte, two bytes), non-ASCII, and enough files to fill
        // several blocks; with no budget (the scratch file) and an unlimited one (in memory).
        var files = Enumerable.Range(0, 3_000).Select(i => (
            Key: i % 500 == 7 ? "posts/" + new string('x', 200 + i % 90) + ".md" : i % 3 == 0 ? $"posts/ünïcödé-{i}-記事.md" : $"posts/post-{i:D5}.md",
            File: new FileRecord(i * 131L, 638_000_000_000_000_000L + i, Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))))).ToList();
        foreach (var budget in new long[] { 0, long.MaxValue })
        {
            var encoded = new EncodedFiles(Path.Combine(_dir, "m.json"), new ScratchBudget(budget));
            foreach (var (key, file) in files)
            {
                encoded.Add(key, file);
            }

            Assert.Equal(files.Count, encoded.Count);
            Assert.Equal(files, encoded.ToList());
            Assert.Equal(files.Select(f => f.Key), encoded.Keys());

            // The record copies the kept bytes as they are: the same file as one written from the files themselves, which loads them back.
            var copied = Path.Combine(_dir, $"copied-{budget}.uptodate");
            var written = Path.Combine(_dir, $"written-{budget}.uptodate");
            Record(encoded).Save(copied);
            Record(files).Save(written);
            Assert.Equal(File.ReadAllBytes(written), File.ReadAllBytes(copied));
            var loaded = UpToDateRecord.Load(copied)!;
            Assert.Equal(files, loaded.Files.ToList());
            Assert.Equal("out.webp", Assert.Single(loaded.Outputs).Path);
        }

        static UpToDateRecord Record(IReadOnlyCollection<(string Key, FileRecord File)> files) => new()
        {
            Fingerprint = "f", ListedPrint = "l", Folders = new Dictionary<string, UInt128> { ["posts"] = 42 }, ManifestStamp = "m",
            MetadataStamp = "s", Native = new NativeRecord("n", "v"), Files = files,
            Outputs = [new UpToDateOutput("out.webp", "out.webp", "blog/a", 10, 20, "image/webp", 300, new string('a', 64), 638_000_000_000_000_000L)],
        };
    }

    [Fact]
    public void AnInOrderReaderGivesEveryRecordOfTheFileBackReadInOrderOrAgainstIt()
    {
        var blocks = new ScratchBlocks(Path.Combine(_dir, "m.json"), "test", new ScratchBudget(0));
        var records = Enumerable.Range(0, 5_000).Select(i => Enumerable.Range(0, 40 + (i % 90)).Select(b => (byte)(b + i)).ToArray()).ToList();
        var places = records.Select(r => blocks.Append(r)).ToList();
        var reader = new ScratchBlocks.InOrderReader(blocks);

        Assert.True(blocks.UsesFile);
        Assert.Equal(records, places.Select(p => reader.Read(p).ToArray()));
        // Backwards too: every block is read again when it is left, and the records are still the same.
        Assert.Equal(Enumerable.Reverse(records), Enumerable.Reverse(places).Select(p => reader.Read(p).ToArray()));
    }

    [Fact]
    public void AllTheStoresOfABuildShareOneMemoryBudget()
    {
        // Two 64 KB blocks' worth of budget: the first store's blocks take it, the next store's go to its file, and
        // the records a build keeps count against the same budget.
        var budget = new ScratchBudget(2 * 64 * 1024);
        var manifest = Path.Combine(_dir, "m.json");
        var first = new ScratchBlocks(manifest, "first", budget);
        var second = new ScratchBlocks(manifest, "second", budget);
        var record = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var firstPlaces = Enumerable.Range(0, 140).Select(_ => first.Append(record)).ToList();
        var secondPlaces = Enumerable.Range(0, 140).Select(_ => second.Append(record)).ToList();
        using var records = new RecordSpill(manifest, budget);
        records.Keep(record);

        Assert.False(first.UsesFile);
        Assert.True(second.UsesFile);
        Assert.NotNull(records.FilePath);
        Assert.All(firstPlaces, p => Assert.Equal(record, first.Read(p).ToArray()));
        Assert.All(secondPlaces, p => Assert.Equal(record, second.Read(p).ToArray()));
        Assert.False(budget.TryTake(1));

        // Without a file to go to (a dry run), a store holds its blocks anyway, past the budget.
        var inMemory = new ScratchBlocks(null, "dry", budget);
        var places = Enumerable.Range(0, 140).Select(_ => inMemory.Append(record)).ToList();
        Assert.False(inMemory.UsesFile);
        Assert.All(places, p => Assert.Equal(record, inMemory.Read(p).ToArray()));
    }

    [Fact]
    public void AUniformMapReadsAsADictionaryOfItsKeysToOneValue()
    {
        string[] keys = ["og/a.webp", "og/a-600.webp", "og/a.jpg"];
        var reason = new RenderReason(RenderReasonKind.NewItem, "new item");
        var map = new UniformMap<string, RenderReason>(keys, reason);
        var expected = keys.ToDictionary(k => k, _ => reason);
        Assert.Equal(expected.Count, map.Count);
        Assert.Equal(expected.ToList(), map.ToList());
        Assert.Same(reason, map["og/a.jpg"]);
        Assert.True(map.ContainsKey(new string("og/a-600.webp".AsSpan())));
        Assert.False(map.TryGetValue("og/b.webp", out _));
        Assert.Throws<KeyNotFoundException>(() => map["og/b.webp"]);
        Assert.Equal(keys, map.Keys);
        Assert.All(map.Values, v => Assert.Same(reason, v));
    }
}
