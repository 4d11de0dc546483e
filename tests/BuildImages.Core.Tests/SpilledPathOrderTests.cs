using System.Globalization;
using BuildImages.Core.Build;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// The order of a pool's late paths kept in scratch blocks as sorted runs and merged as it is walked: the same order as
/// the strings' ordinal one, whether the blocks are held or filed, on several threads at once, and unchanged for a walk
/// that began before the pool made a newer order in the same store; and a build whose outputs' order is kept so writes
/// the report in path order and an up-to-date record and stat cache the next builds trust.
/// </summary>
public sealed class SpilledPathOrderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-order-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Paths whose UTF-8 bytes and UTF-16 code units order differently (characters above U+FFFF against U+E000-U+FFFF),
    // lone surrogates, shared prefixes and paths that start others.
    private static List<string> Paths(int count, int seed)
    {
        var random = new Random(seed);
        string[] parts = ["og/", "og/post-", "a", "\uE000", "\U0001F600", "\uD55C", "\uFFFF", "\uD800", "é", "-600.webp", ".jpg", ""];
        return Enumerable.Range(0, count)
            .Select(i => parts[random.Next(parts.Length)] + parts[random.Next(parts.Length)] + i.ToString("D5", CultureInfo.InvariantCulture) + parts[random.Next(parts.Length)])
            .Distinct().OrderBy(_ => random.Next()).ToList();
    }

    private static PathPool PoolOf(IEnumerable<string> paths)
    {
        var pool = new PathPool();
        foreach (var path in paths)
        {
            pool.Add(path);
        }
        return pool;
    }

    [Theory]
    [InlineData(0L, 300)]
    [InlineData(long.MaxValue, 300)]
    [InlineData(0L, 1)]
    [InlineData(0L, 16_385)]
    public void AnOrderKeptInRunsWalksAsTheStringsSortOrdinallyOnEveryThread(long memoryBudget, int runLength)
    {
        var paths = Paths(20_000, 7);
        var pool = PoolOf(paths);
        var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "order", new ScratchBudget(memoryBudget));
        pool.KeepOrdersIn(store, runLength);

        var order = Assert.IsType<SpilledPathOrder>(pool.LatePathOrder(0), exactMatch: false);
        Assert.Equal(paths.Count, order.Count);
        Assert.Equal((paths.Count + runLength - 1) / runLength, order.Runs);
        Assert.Equal(memoryBudget == 0, store.UsesFile);
        var expected = paths.Order(StringComparer.Ordinal).ToList();
        var walks = new List<string>[4];
        Parallel.For(0, walks.Length, w => walks[w] = [.. order.Select(pool.PathOf)]);
        foreach (var walk in walks)
        {
            Assert.Equal(expected, walk);
        }
        // Shared while the pool holds the same ids.
        Assert.Same(order, pool.LatePathOrder(0));
    }

    [Fact]
    public void AWalkBegunBeforeThePoolGrewGoesOnReadingItsOwnOrder()
    {
        var paths = Paths(5_000, 11);
        var pool = PoolOf(paths);
        var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "order", new ScratchBudget(0));
        pool.KeepOrdersIn(store, 700);
        var old = pool.LatePathOrder(0);
        using var walk = old.GetEnumerator();
        var walked = new List<string>();
        for (var i = 0; i < 1_000 && walk.MoveNext(); i++)
        {
            walked.Add(pool.PathOf(walk.Current));
        }

        // The newer order goes into the same store, into the block the old one's appends would have gone on filling.
        var more = Paths(3_000, 12).Select(p => "z/" + p).ToList();
        foreach (var path in more)
        {
            pool.Add(path);
        }
        var newer = pool.LatePathOrder(0);
        Assert.NotSame(old, newer);
        while (walk.MoveNext())
        {
            walked.Add(pool.PathOf(walk.Current));
        }

        Assert.Equal(paths.Order(StringComparer.Ordinal), walked);
        Assert.Equal(paths.Concat(more).Order(StringComparer.Ordinal), newer.Select(pool.PathOf));
    }

    [Fact]
    public void AnOrderOfNoMoreThanARunIsAnArrayAndAPoolWithoutAStoreNeverKeepsOne()
    {
        var paths = Paths(2_000, 13);
        var pool = PoolOf(paths);
        Assert.IsType<int[]>(pool.LatePathOrder(0));
        pool.KeepOrdersIn(new ScratchBlocks(Path.Combine(_dir, "m.json"), "order", new ScratchBudget(0)), paths.Count);
        Assert.IsType<int[]>(pool.LatePathOrder(0));
        Assert.Equal(paths.Order(StringComparer.Ordinal), pool.LatePathOrder(0).Select(pool.PathOf));
        // One id more than a run: kept in two runs.
        pool.KeepOrdersIn(new ScratchBlocks(Path.Combine(_dir, "m.json"), "order", new ScratchBudget(0)), paths.Count - 1);
        pool.Add("og/one-more");
        var kept = Assert.IsType<SpilledPathOrder>(pool.LatePathOrder(0), exactMatch: false);
        Assert.Equal(2, kept.Runs);
        Assert.Equal(paths.Append("og/one-more").Order(StringComparer.Ordinal), kept.Select(pool.PathOf));
    }

    [Theory]
    [InlineData(PathPool.DefaultBlockBits)]
    [InlineData(10)]
    public void ABuildWhoseOutputsOrderIsKeptInRunsReportsInPathOrderAndItsRecordsAreTrustedNextTime(int pathBlockBits)
    {
        using var site = new BuildFixture();
        for (var i = 0; i < 40; i++)
        {
            // Slugs out of their order in the data, so the outputs' ids are not their path order; long, so that the
            // paths take several blocks of 1 KiB.
            site.Items.Add(BuildFixture.Item($"extra-{(i * 7) % 40:D2}-{i}-" + new string('s', 100), $"Extra post {i}"));
        }
        site.Save();
        // With blocks of 1 KiB, the output paths fill several, each filed in the scratch file once full and read back
        // from it by every walk of the finish.
        var cold = site.Build(new BuildOptions { Parallelism = 2, RecordMemoryBudget = 0, PathOrderRunLength = 7, OutputPathBlockBits = pathBlockBits });
        Assert.Equal(0, cold.Failed);
        Assert.True(cold.Outputs.Count > 7 * 10);
        Assert.True(cold.Outputs.Sum(o => o.Path.Length) > 3 << 10);
        Assert.Equal(cold.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal), cold.Outputs.Select(o => o.Path));

        // The up-to-date record lists every output, in the order its check reads it.
        var noOp = site.Build(new BuildOptions { PathOrderRunLength = 7, OutputPathBlockBits = pathBlockBits });
        Assert.True(noOp.UpToDate);
        Assert.Equal(cold.Outputs.Count, noOp.Skipped);
        Assert.Equal(cold.Outputs.Select(o => o.Path), noOp.Outputs.Select(o => o.Path));

        // The stat cache holds every output's time, its names in path order (each is read back by that order).
        var stats = Manifest.StatCache.Load(Manifest.StatCache.PathFor(site.ManifestFile), new PathPool());
        Assert.Equal(cold.Outputs.Select(o => o.Path), stats.OutputTimes.Files);

        // Without the record, the full check finds every output as it was written.
        File.Delete(UpToDateRecordPath(site));
        var full = site.Build(new BuildOptions { PathOrderRunLength = 7, RecordMemoryBudget = 0, OutputPathBlockBits = pathBlockBits });
        Assert.False(full.UpToDate);
        Assert.Equal(0, full.Rendered);
        Assert.Equal(cold.Outputs.Count, full.Skipped);
        Assert.Equal(cold.Outputs.Select(o => o.Path), full.Outputs.Select(o => o.Path));
        Assert.Empty(Directory.EnumerateFiles(site.Site, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));
    }

    private static string UpToDateRecordPath(BuildFixture site) => Manifest.UpToDateRecord.PathFor(site.ManifestFile);
}
