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
        Fingerprint = "print", ManifestStamp = "1:2", MetadataStamp = "m", Native = new NativeRecord("stamp", "versions"),
        Files = [("items.json", new FileRecord(10, 20, new string('b', 64)))], Outputs = outputs,
    };

    [Fact]
    public void OutputsReadInOrderAndByIndexAreTheOnesWritten()
    {
        var written = Outputs(3000, "a");
        var file = Path.Combine(_dir, "r.uptodate");
        Record(written).Save(file);

        var read = UpToDateRecord.Load(file)!.Outputs;

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
