using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>
/// The table of output write times: every time read back exactly, whether it is held as 32 bits past its chunk's own
/// time (times written close together) or whole (times far apart), or filed a chunk at a time (a build's), and ids
/// without a time report none.
/// </summary>
public sealed class OutputTimeTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-times-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFiledTableReadsEveryTimeBackExactlyInAnyOrderHoldingOneChunk()
    {
        var store = new Primitives.ScratchBlocks(Path.Combine(_dir, "m.json"), "output-times", new Primitives.ScratchBudget(0));
        var table = new OutputTimeTable(new Primitives.PathPool(), store, mostChunksHeld: 1);
        table.Expect(20_000);
        var random = new Random(8);
        // Three chunks of ids; times close together, a year apart, the largest there is; some set twice, some never.
        var files = Enumerable.Range(0, 12_000).Select(i => $"og/post-{i:D5}.webp").ToList();
        var times = new Dictionary<string, long>();
        foreach (var n in Enumerable.Range(0, 15_000))
        {
            var file = files[n < 9_000 ? n : random.Next(files.Count)];
            var ticks = random.Next(5) switch
            {
                0 => Start - (TimeSpan.TicksPerDay * 365),
                1 => DateTime.MaxValue.Ticks,
                _ => Start + random.Next(1_000_000),
            };
            table.Set(file, ticks);
            times[file] = ticks;
        }
        Assert.True(store.UsesFile);
        Assert.Equal(times.Count, table.Count);
        foreach (var file in files.OrderBy(_ => random.Next()).Concat(files))
        {
            Assert.Equal(times.ContainsKey(file), table.TryGetValue(file, out var read));
            Assert.Equal(times.GetValueOrDefault(file), read);
        }
        Assert.Equal(files.Where(times.ContainsKey).Order(StringComparer.Ordinal), table.Files.Order(StringComparer.Ordinal));
        Assert.Equal(0, table.WideChunks);
    }

    private static readonly long Start = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc).Ticks;

    [Fact]
    public void TimesWrittenCloseTogetherReadBackExactlyAndStayNarrow()
    {
        var table = new OutputTimeTable();
        var random = new Random(5);
        // Ten thousand files over four minutes, every other one set: three chunks of ids, each with gaps.
        var times = Enumerable.Range(0, 10_000).ToDictionary(i => $"og/post-{i:D5}.webp", i => Start + (i * 240_000L) + random.Next(1000));
        foreach (var (file, ticks) in times.Where((_, i) => i % 2 == 0))
        {
            table.Set(file, ticks);
        }
        Assert.Equal(5_000, table.Count);
        Assert.Equal(0, table.WideChunks);
        foreach (var ((file, ticks), i) in times.Select((t, i) => (t, i)))
        {
            Assert.Equal(i % 2 == 0, table.TryGetValue(file, out var read));
            Assert.Equal(i % 2 == 0 ? ticks : 0, read);
        }
        Assert.False(table.TryGetValue(-1, out _));
        Assert.False(table.TryGetValue("og/never-added.webp", out _));
    }

    [Fact]
    public void ATimeFarFromItsChunksOthersWidensThatChunkOnlyAndEveryTimeStaysExact()
    {
        var table = new OutputTimeTable();
        var files = Enumerable.Range(0, 9_000).Select(i => $"og/{i:D5}.jpg").ToList();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            table.Set(file, Start + i);
        }
        // In the second chunk: a time from a year before, one just past what 32 bits hold after the chunk's own, the
        // largest time there is, and the first file's time set again later.
        var far = new Dictionary<string, long>
        {
            [files[5_000]] = Start - TimeSpan.TicksPerDay * 365,
            [files[5_001]] = Start + 4_096 + (1L << 31),
            [files[5_002]] = DateTime.MaxValue.Ticks,
            [files[4_096]] = Start + TimeSpan.TicksPerHour,
        };
        foreach (var (file, ticks) in far)
        {
            table.Set(file, ticks);
        }
        Assert.Equal(9_000, table.Count);
        Assert.Equal(1, table.WideChunks);
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            Assert.True(table.TryGetValue(file, out var read));
            Assert.Equal(far.TryGetValue(file, out var set) ? set : Start + i, read);
        }
        Assert.Equal(files, table.Files);
    }

    [Fact]
    public void TimesJustInsideAChunksRangeStayNarrow()
    {
        var table = new OutputTimeTable();
        table.Set("og/first.png", Start);
        table.Set("og/earliest.png", Start - (1L << 31));
        table.Set("og/latest.png", Start + (1L << 31) - 2);
        Assert.Equal(0, table.WideChunks);
        Assert.True(table.TryGetValue("og/earliest.png", out var earliest));
        Assert.True(table.TryGetValue("og/latest.png", out var latest));
        Assert.Equal((Start - (1L << 31), Start + (1L << 31) - 2), (earliest, latest));
        table.Set("og/later.png", Start + (1L << 31) - 1);
        Assert.Equal(1, table.WideChunks);
        Assert.True(table.TryGetValue("og/later.png", out var later));
        Assert.Equal(Start + (1L << 31) - 1, later);
    }
}
