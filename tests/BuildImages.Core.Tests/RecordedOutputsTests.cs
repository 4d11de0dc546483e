using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>The up-to-date record's outputs are read from its file as they are walked: the same by index and in order, the same file for the report's life, and a damaged file never proves anything.</summary>
public sealed class RecordedOutputsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-record-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<UpToDateOutput> Outputs(int count, string tag) =>
        [.. Enumerable.Range(0, count).Select(i => new UpToDateOutput($"og/{tag}-{i:D5}.webp", i % 7 == 0 ? $"og/{tag}-{i:D5}.abc123.webp" : $"og/{tag}-{i:D5}.webp", $"item-{i / 4}", 1200, 630, "image/webp", 20_000 + i, new string('a', 64), 638_000_000_000_000_000 + i))];

    private static UpToDateRecord Record(IReadOnlyList<UpToDateOutput> outputs) => new()
    {
        Fingerprint = "print", ListedPrint = "listed", Folders = null, ManifestStamp = "1:2", MetadataStamp = "m", Native = new NativeRecord("stamp", "versions"),
        Files = [("items.json", new FileRecord(10, 20, new string('b', 64)))], Outputs = outputs,
    };

    [Fact]
    public void OutputsReadInOrderAndByIndexAreTheOnesWritten()
    {
        var written = Outputs(3000, "a");
        var file = Path.Combine(_dir, "r.uptodate");
        Record(written).Save(file);

        var read = Assert.IsType<RecordedOutputs>(UpToDateRecord.Load(file)!.Outputs);

        Assert.Equal(3000, read.Count);
        Assert.Equal(written, read.ToList());
        foreach (var i in new[] { 0, 1, 1023, 1024, 1025, 2047, 2999 })
        {
            Assert.Equal(written[i], read[i]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => read[3000]);
    }

    [Fact]
    public void ARecordReplacedByALaterBuildLeavesTheOneBeingReadAsItWas()
    {
        var file = Path.Combine(_dir, "r.uptodate");
        var first = Outputs(50, "first");
        Record(first).Save(file);
        var held = UpToDateRecord.Load(file)!.Outputs;

        Record(Outputs(80, "second")).Save(file);

        Assert.Equal(first, held.ToList());
        Assert.Equal(80, UpToDateRecord.Load(file)!.Outputs.Count);
    }

    [Fact]
    public void ACutOffRecordThrowsWhenItsOutputsAreReadAndTheBuildTakesTheFullPath()
    {
        var file = Path.Combine(_dir, "r.uptodate");
        Record(Outputs(500, "a")).Save(file);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 300)]);

        var record = UpToDateRecord.Load(file)!;

        Assert.Throws<InvalidDataException>(() => record.Outputs.ToList());
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void RawStampBlocksLocateEveryOutputsPathFileSizeAndTimeAcrossBlockEdges(int blockBytes)
    {
        // Every 11th output's path, every 13th's written file outside the plain alphabet (a space, an accent).
        var written = Outputs(2500, "raw").Select((o, i) => o with
        {
            Path = i % 11 == 0 ? o.Path.Replace("raw-", "raw ") : o.Path,
            File = i % 13 == 0 ? o.File.Replace("raw-", "ráw-") : i % 11 == 0 && o.File == o.Path ? o.Path.Replace("raw-", "raw ") : o.File,
        }).ToList();
        var file = Path.Combine(_dir, "r.uptodate");
        Record(written).Save(file);
        var record = UpToDateRecord.Load(file)!;

        var read = new List<(string Path, string File, long Bytes, long Ticks)>();
        var plainSeen = 0;
        var blocks = 0;
        foreach (var block in ((RecordedOutputs)record.Outputs).StampBlocks(blockBytes))
        {
            using (block)
            {
                blocks++;
                for (var i = 0; i < block.Count; i++)
                {
                    var stamp = block.Stamps[i];
                    read.Add((System.Text.Encoding.UTF8.GetString(block.PathOf(stamp)), System.Text.Encoding.UTF8.GetString(block.FileOf(stamp)), stamp.Bytes, stamp.ModifiedTicks));
                    // Plain is what the check would find of both paths (then it stats the file without decoding either).
                    Assert.Equal(RecordPaths.IsPlain(block.PathOf(stamp)) && RecordPaths.IsPlain(block.FileOf(stamp)), stamp.Plain);
                    plainSeen += stamp.Plain ? 1 : 0;
                }
            }
        }

        Assert.Equal(written.Select(o => (o.Path, o.File, o.Bytes, o.ModifiedTicks)), read);
        Assert.Equal(written.Count(o => !o.Path.Contains(' ') && !o.File.Contains(' ') && !o.File.Contains('á')), plainSeen);
        Assert.True(blockBytes > 100_000 ? blocks == 1 : blocks > 10, $"{blocks} blocks of {blockBytes} bytes");
    }

    [Fact]
    public void RawStampBlocksOfACutOffOrOvercountedRecordThrow()
    {
        var file = Path.Combine(_dir, "r.uptodate");
        Record(Outputs(500, "a")).Save(file);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 300)]);
        Assert.Throws<InvalidDataException>(() => Drain(UpToDateRecord.Load(file)!));

        // The count says one output fewer than the file holds: the end mark is not where it should be.
        Record(new MiscountedList(Outputs(500, "a"), 499)).Save(file);
        Assert.Throws<InvalidDataException>(() => Drain(UpToDateRecord.Load(file)!));

        Record(Outputs(500, "a")).Save(file);
        Assert.Equal(500, Drain(UpToDateRecord.Load(file)!));

        static int Drain(UpToDateRecord r)
        {
            var count = 0;
            foreach (var block in ((RecordedOutputs)r.Outputs).StampBlocks(4096))
            {
                count += block.Count;
                block.Dispose();
            }
            return count;
        }
    }

    [Fact]
    public void RawStampBlocksOfAGarbledRecordEndInInvalidDataAndNothingElse()
    {
        // A record from a CI cache may be anything: every damage must surface as InvalidDataException (which sends the
        // build down the full path), never as an index, overflow or memory failure.
        var file = Path.Combine(_dir, "r.uptodate");
        Record(Outputs(300, "g")).Save(file);
        var good = File.ReadAllBytes(file);
        var start = good.Length - 300 * 60;
        var random = new Random(11);
        var invalid = 0;
        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])good.Clone();
            // Flip, zero or max out a few bytes of the outputs, or cut the file short.
            for (var k = 0; k < 1 + random.Next(6); k++)
            {
                var at = start + random.Next(good.Length - start);
                bytes[at] = random.Next(3) switch { 0 => 0xFF, 1 => 0, _ => (byte)random.Next(256) };
            }
            if (random.Next(4) == 0)
            {
                bytes = bytes[..(start + random.Next(good.Length - start))];
            }
            File.WriteAllBytes(file, bytes);
            if (UpToDateRecord.Load(file) is not { } record)
            {
                continue;
            }
            try
            {
                foreach (var block in ((RecordedOutputs)record.Outputs).StampBlocks(4096))
                {
                    for (var i = 0; i < block.Count; i++)
                    {
                        // What the check reads of each stamp must be inside the block's bytes.
                        _ = block.PathOf(block.Stamps[i]).Length + block.FileOf(block.Stamps[i]).Length;
                    }
                    block.Dispose();
                }
            }
            catch (InvalidDataException)
            {
                invalid++;
            }
        }
        Assert.True(invalid > 50, $"only {invalid} of 300 garbled records were refused");
    }

    /// <summary>A list whose count is not what it enumerates: a record written with it is wrong in the way a damaged one is.</summary>
    private sealed class MiscountedList(List<UpToDateOutput> outputs, int count) : IReadOnlyList<UpToDateOutput>
    {
        public int Count => count;

        public UpToDateOutput this[int index] => outputs[index];

        public IEnumerator<UpToDateOutput> GetEnumerator() => outputs.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void ARawPathIsTakenAsPlainOnlyWhenTheFullCheckAcceptsIt()
    {
        foreach (var plain in new[] { "og/post-1-1200.webp", "a.png", "deep/er/x_y.JPG", "og/x.1f2e3d.avif", ".png", "og/a.b.c.jpeg", "ab/abcde.webp", "blog/con1.png", "cons/lpt.webp", "abc.png", "COMA.png" })
        {
            Assert.True(RecordPaths.IsPlain(System.Text.Encoding.UTF8.GetBytes(plain)), plain);
            Assert.Null(RecordPaths.FullProblem(plain));
            Assert.Null(RecordPaths.Problem(plain));
        }
        // Never plain: unsafe (a device name), or outside the plain alphabet (left to the full check, which may accept it).
        foreach (var unsafePath in new[] { "/a.png", "../a.png", "og/../a.png", "og//a.png", "a.txt", "og/CON.png", "a\\b.png", "c:a.png" })
        {
            Assert.NotNull(RecordPaths.Problem(unsafePath));
        }
        foreach (var unsure in new[] { "", "/a.png", "../a.png", "og/../a.png", "og//a.png", "og/./a.png", "a.png.", "og/", "a.txt", "a", "og/CON.png", "COM1.webp",
            "con.png", "Nul.x.png", "aux/a.png", "lpt9.avif", "a b.png", "a\\b.png", "c:a.png", "café.png", "a\u202e.png", "a:b.png", new string('x', 201) + ".png" })
        {
            Assert.False(RecordPaths.IsPlain(System.Text.Encoding.UTF8.GetBytes(unsure)), unsure);
        }
        // Whatever the bytes, plain implies accepted by the full check.
        var random = new Random(7);
        const string alphabet = "aZ09-_./ .\\:$COMNULcx\u00e9";
        var plainSeen = 0;
        for (var n = 0; n < 50_000; n++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 14)).Select(_ => alphabet[random.Next(alphabet.Length)])]) + (random.Next(3) == 0 ? ".webp" : random.Next(2) == 0 ? ".PNG" : string.Empty);
            if (RecordPaths.IsPlain(System.Text.Encoding.UTF8.GetBytes(text)))
            {
                plainSeen++;
                Assert.True(RecordPaths.FullProblem(text) is null, $"'{text}' taken as plain but the full check refuses it: {RecordPaths.FullProblem(text)}");
            }
        }
        Assert.True(plainSeen > 1000, $"only {plainSeen} random paths were plain");
    }

    [Fact]
    public void OutputsWithPathsOutsideThePlainAlphabetAreConfirmedThroughTheFullPathCheck()
    {
        using var site = new BuildFixture();
        // Not plain: non-ASCII (decomposed on purpose: the planner stores NFC), a space, a four-letter device-like stem.
        site.Items[0]["slug"] = "cafe\u0301 à la carte";
        site.Items[1]["slug"] = "COMX";
        site.Save();
        var first = site.Build();
        Assert.Contains(first.Outputs, o => o.Path.Contains("café à la carte", StringComparison.Ordinal));

        var noop = site.Build();
        Assert.True(noop.UpToDate);
        Assert.Equal(first.Outputs.Count, noop.Skipped);

        // And an edited output among them is still seen.
        var edited = first.Outputs.First(o => o.Path.Contains("café", StringComparison.Ordinal));
        File.AppendAllText(Path.Combine(site.Site, edited.File ?? edited.Path), "x");
        var after = site.Build();
        Assert.False(after.UpToDate);
        Assert.Contains(after.Outputs, o => o.Path == edited.Path && o.Status == Build.OutputStatus.Rendered);
    }

    [Fact]
    public void ANoOpTellsAnObserverEachOutputOrOnceWhenItCounts()
    {
        using var site = new BuildFixture();
        var first = site.Build();

        // The default: each output told through Output, as skipped, as the report has them.
        var each = new RecordingObserver();
        Assert.True(site.Build(observer: each).UpToDate);
        Assert.Equal(first.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal), each.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal));
        Assert.All(each.Outputs, o => Assert.Equal(Build.OutputStatus.Skipped, o.Status));

        // An observer that takes the no-op whole gets one call and no outcome one by one.
        var counting = new CountingObserver();
        Assert.True(site.Build(observer: counting).UpToDate);
        Assert.Equal([first.Outputs.Count], counting.UpToDateCounts);
        Assert.Equal(0, counting.OutputCalls);
    }

    private sealed class CountingObserver : Build.IBuildObserver
    {
        public List<int> UpToDateCounts { get; } = [];

        public int OutputCalls { get; private set; }

        public void Planned(int outputs, int toRender)
        {
        }

        public void Output(Build.OutputOutcome outcome) => OutputCalls++;

        public void Diagnostic(Diagnostics.Diagnostic diagnostic)
        {
        }

        public void UpToDate(IReadOnlyList<Build.OutputOutcome> outcomes) => UpToDateCounts.Add(outcomes.Count);
    }

    [Fact]
    public void ANoOpBuildReportsEveryOutputFromTheRecordAndHoldsNone()
    {
        using var site = new BuildFixture();
        var first = site.Build();

        var noop = site.Build();

        Assert.True(noop.UpToDate);
        Assert.Equal(first.Outputs.Count, noop.Skipped);
        Assert.Equal(first.Outputs.Select(o => (o.Path, o.Item, o.Width, o.Height, o.Format, o.Bytes, o.Key)), noop.Outputs.Select(o => (o.Path, o.Item, o.Width, o.Height, o.Format, o.Bytes, o.Key)));
        Assert.All(noop.Outputs, o => Assert.Equal(Build.OutputStatus.Skipped, o.Status));
        Assert.Equal(first.Outputs.Count, noop.Cost.RendersAvoided);
    }
}
