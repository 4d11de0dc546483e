using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// The build's pool of output paths: one id per distinct string (exactly, lone surrogates included), ids ordered as
/// the strings are ordinally, paths read back as given, and adds from many threads at once; all of it too when the
/// pool files its full blocks in scratch blocks and reads them back a window at a time.
/// </summary>
public sealed class PathPoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-pool-").FullName;
    private readonly List<ScratchBlocks> _stores = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A pool that keeps its blocks in memory, or files each once full, in a store with no memory budget (so in its file).
    private PathPool NewPool(bool filed)
    {
        var pool = new PathPool();
        if (filed)
        {
            var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "paths", new ScratchBudget(0));
            _stores.Add(store);
            pool.KeepBlocksIn(store);
        }
        return pool;
    }

    // ASCII, Latin-1, CJK, characters from U+D000 to U+D7FF and U+E000 to U+FFFF, characters above U+FFFF (surrogate
    // pairs), U+FFFD, and lone surrogates of both halves: UTF-8's byte order and UTF-16's differ between the pairs and
    // U+E000-U+FFFF.
    private static readonly string[] Tricky =
    [
        "og/a.webp", "og/A.webp", "og/a-600.webp", "og/", "og/a", "og/é.webp", "og/e.webp", "og/\uE000.webp", "og/\uFFFF.webp",
        "og/\U0001F600.webp", "og/\U00010000.webp", "og/\U0010FFFF.webp", "og/\uFFFD.webp", "og/\uD800.webp", "og/\uDC00.webp",
        "og/\uD83D.webp", "og/\uD83D\uDE00x", "og/\uDBFF", "og/\u07FF", "og/\u0800", "", "og/ü/b.webp", "og/u\u0308/b.webp", "og/あ.webp", "og/\uD7FF.webp", "og/\uD000",
    ];

    [Fact]
    public void EveryDistinctStringIsItsOwnIdAndReadsBackAsGiven()
    {
        var pool = new PathPool();
        var ids = Tricky.Select(t => pool.Add(t)).ToList();
        Assert.Equal(Tricky.Length, ids.Distinct().Count());
        Assert.Equal(Tricky.Length, pool.Count);
        for (var i = 0; i < Tricky.Length; i++)
        {
            Assert.Equal(Tricky[i], pool.PathOf(ids[i]));
            Assert.Equal(ids[i], pool.Find(new string(Tricky[i].AsSpan())));
            // Adding again finds the one held.
            Assert.Equal(ids[i], pool.Add(new string(Tricky[i].AsSpan())));
        }
        Assert.Equal(-1, pool.Find("og/b.webp"));
        Assert.Equal(-1, pool.Find("og/\uFFFD\uFFFD.webp"));
        Assert.Equal(Tricky.Length, pool.Count);
    }

    [Fact]
    public void IdsCompareAsTheirStringsDoOrdinally()
    {
        var pool = new PathPool();
        var random = new Random(5);
        var paths = Tricky.Concat(Enumerable.Range(0, 300).Select(_ => Tricky[random.Next(Tricky.Length)] + Tricky[random.Next(Tricky.Length)])).Distinct().ToList();
        var ids = paths.Select(p => pool.Add(p)).ToList();
        foreach (var a in ids)
        {
            foreach (var b in ids)
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(pool.PathOf(a), pool.PathOf(b))), Math.Sign(pool.Compare(a, b)));
            }
        }
        ids.Sort(pool.Compare);
        Assert.Equal(paths.Order(StringComparer.Ordinal), ids.Select(pool.PathOf));
    }

    [Fact]
    public void ValidTextIsHeldAsItsUtf8Bytes()
    {
        var pool = new PathPool();
        foreach (var text in Tricky.Where(t => !t.Any(char.IsSurrogate) || t.Contains("\U0001F600", StringComparison.Ordinal)))
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), pool.Utf8(pool.Add(text), new PathPool.Cursor()).ToArray());
        }
    }

    // Adds each path twice from four threads at once, reading each back as soon as it is added (while other threads add
    // and file blocks); the ids, one per path, dense from 0, the same both times.
    private static int[] AddEachTwiceOnFourThreads(PathPool pool, string[] paths)
    {
        var ids = new int[paths.Length];
        var again = new int[paths.Length];
        Parallel.For(0, paths.Length * 2, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            var i = n % paths.Length;
            if (n < paths.Length)
            {
                ids[i] = pool.Add(paths[i]);
                Assert.Equal(paths[i], pool.PathOf(ids[i]));
            }
            else
            {
                again[i] = pool.Add(paths[i]);
            }
        });
        Assert.Equal(paths.Length, pool.Count);
        Assert.Equal(ids, again);
        Assert.Equal(Enumerable.Range(0, paths.Length), ids.Order());
        return ids;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ThreadsAddingAtOnceGetOneIdPerPathAcrossManyBlocks(bool filed)
    {
        var pool = NewPool(filed);
        // 60,000 paths of about 40 bytes: more than two of the pool's 1 MiB blocks, and many doublings of its arrays.
        var paths = Enumerable.Range(0, 60_000).Select(i => $"og/{i % 7}/post-{i:D6}-{(i % 3 == 0 ? "é" : "e")}.webp").ToArray();
        var ids = AddEachTwiceOnFourThreads(pool, paths);
        Assert.All(Enumerable.Range(0, paths.Length), i => Assert.Equal(paths[i], pool.PathOf(ids[i])));
        Assert.True(pool.StoredBytes > 1 << 20);
        Assert.Equal(filed ? 1 : (int)((pool.StoredBytes + (1 << 20) - 1) >> 20), pool.BlocksHeld);
        Assert.Equal(filed, _stores.Any(store => store.UsesFile));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(37, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(37, true)]
    public void PathsWhoseEntriesFillABlockToTheByteOrSpillIntoTheNextAreFoundAndReadAcrossIt(int leftOver, bool filed)
    {
        // Only every 16th path's place is kept; the others are found by walking the entries after it, across a block's
        // end too: one that fills its 1 MiB block exactly, and (leftOver > 0) one that does not fit in what is left.
        // Filed, the entry that ends a block is at the end of what a window can read of it.
        const int block = 1 << 20;
        var pool = NewPool(filed);
        var paths = new List<string>();
        void Add(string path)
        {
            Assert.Equal(paths.Count, pool.Add(path));
            paths.Add(path);
        }

        for (var b = 0; b < 3; b++)
        {
            // Paths that share nothing with the one before (each entry: a byte of shared length, a byte or two of
            // length, the path), until about 300 bytes of the block are left.
            while (block - (pool.StoredBytes % block) > 300)
            {
                Add($"{(char)('a' + (paths.Count % 2))}/{paths.Count:D6}/" + new string('x', 90));
            }
            var left = (int)(block - (pool.StoredBytes % block)) - leftOver;
            // An entry of `left` bytes: 1 for the shared length, 2 for a length from 128 up, the rest the path.
            Add($"{(char)('a' + (paths.Count % 2))}/" + new string('y', left - 3 - 2));
            Assert.Equal(leftOver == 0 ? 0 : block - leftOver, pool.StoredBytes % block);
            Add($"{(char)('a' + (paths.Count % 2))}/after-{b}-" + new string('z', 40));
            Assert.Equal(b + 1, pool.StoredBytes / block);
        }

        var forward = new PathPool.Cursor();
        for (var id = 0; id < paths.Count; id++)
        {
            Assert.Equal(paths[id], PathPool.TextOf(pool.Utf8(id, forward)));
        }
        var random = new Random(5);
        var jumping = new PathPool.Cursor();
        foreach (var id in Enumerable.Range(0, paths.Count).OrderBy(_ => random.Next()))
        {
            Assert.Equal(paths[id], PathPool.TextOf(pool.Utf8(id, jumping)));
            Assert.Equal(id, pool.Find(paths[id]));
            Assert.Equal(-1, pool.Find(paths[id] + "z"));
        }
    }

    [Fact]
    public void PathsStoredAsWhatTheyDoNotShareWithTheOneBeforeReadBackAndAreFoundExactly()
    {
        var pool = new PathPool();
        var random = new Random(17);
        // Runs that share long prefixes, cut inside multi-byte characters too ("é" and "é" share their first byte;
        // "\U0001F600" and "\U0001F601" their first three), of every length across many restarts.
        string[] parts = ["og/", "og/blog/", "é", "è", "\U0001F600", "\U0001F601", "a", "ab", "-600", ".webp", ".jpg", "/", "\uD800"];
        var paths = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = "og/";
        for (var i = 0; i < 5_000; i++)
        {
            // Mostly a small change at the end of the one before; now and then a jump.
            current = random.Next(10) == 0 ? parts[random.Next(parts.Length)] + i
                : current[..random.Next(current.Length + 1)] + parts[random.Next(parts.Length)];
            if (seen.Add(current))
            {
                paths.Add(current);
            }
        }
        var ids = paths.Select(p => pool.Add(p)).ToList();
        Assert.Equal(Enumerable.Range(0, paths.Count), ids);
        // Read in id order with one cursor (which goes on from the id before), and in any order with another.
        var forward = new PathPool.Cursor();
        var jumping = new PathPool.Cursor();
        foreach (var id in ids)
        {
            Assert.Equal(paths[id], PathPool.TextOf(pool.Utf8(id, forward)));
        }
        foreach (var id in ids.OrderBy(_ => random.Next()))
        {
            Assert.Equal(paths[id], PathPool.TextOf(pool.Utf8(id, jumping)));
            Assert.Equal(id, pool.Find(paths[id]));
        }
        // Strings of a held path's length that differ from it in one place only (first, middle, last): not held.
        foreach (var path in paths.Where(p => p.Length > 2).Take(2_000))
        {
            foreach (var at in new[] { 0, path.Length / 2, path.Length - 1 })
            {
                var other = string.Concat(path.AsSpan(0, at), path[at] == 'Z' ? "Y" : "Z", path.AsSpan(at + 1));
                Assert.Equal(seen.Contains(other) ? paths.IndexOf(other) : -1, pool.Find(other));
            }
        }
    }

    [Fact]
    public void PathsAddedInOrderCompareAsNumbersAndOthersAddedAfterStillCompareByTheirText()
    {
        var pool = new PathPool();
        var sorted = Tricky.Order(StringComparer.Ordinal).Concat(["pz/1", "pz/2"]).ToList();
        var later = new[] { "og/b.webp", "a", "zz", "og/\U0001F600.webq", "pz/15" };
        var ids = sorted.Concat(later).Select(p => pool.Add(p)).ToList();
        var all = sorted.Concat(later).ToList();
        foreach (var a in ids)
        {
            foreach (var b in ids)
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(all[a], all[b])), Math.Sign(pool.Compare(a, b)));
            }
        }
    }

    [Fact]
    public void ASetOfIdsComesBackInPathOrderWhetherTheIdsWereAddedInOrderOrNot()
    {
        var pool = new PathPool();
        var random = new Random(23);
        // A sorted run (as a stat cache loads), then paths out of order (new outputs of this build), some before the run's.
        var run = Enumerable.Range(0, 3_000).Select(i => $"og/p-{i:D5}.webp").ToList();
        var later = Enumerable.Range(0, 500).Select(i => $"og/p-{random.Next(4_000):D5}-{i}.jpg").Concat(["a", "og/p-", "zz", "og/\uE000", "og/\U0001F600"]).ToList();
        var all = run.Concat(later).ToList();
        all.ForEach(p => pool.Add(p));
        Assert.Equal(run.Count, pool.Sorted);
        var set = new OrderedPathSet(pool);
        var chosen = Enumerable.Range(0, all.Count).Where(_ => random.Next(3) > 0).OrderBy(_ => random.Next()).ToList();
        foreach (var id in chosen)
        {
            Assert.True(set.Add(id));
        }
        Assert.False(set.Add(chosen[0]));
        Assert.Equal(chosen.Count, set.Count);
        Assert.Equal(chosen.Select(id => all[id]).Order(StringComparer.Ordinal), set.Select(pool.PathOf));
        // The ids past the run are sorted once for every walk while the pool holds the same ids.
        Assert.Same(pool.LatePathOrder(pool.Sorted), pool.LatePathOrder(pool.Sorted));
        Assert.Equal(later.Order(StringComparer.Ordinal), pool.LatePathOrder(pool.Sorted).Select(pool.PathOf));
        Assert.False(set.CanHold(pool.Add("og/added-after-the-set")));
        // A path added since is in the pool's order, never in the set's walk.
        Assert.Contains(pool.LatePathOrder(pool.Sorted), id => pool.PathOf(id) == "og/added-after-the-set");
        Assert.Equal(chosen.Select(id => all[id]).Order(StringComparer.Ordinal), set.Select(pool.PathOf));
    }

    [Theory]
    [InlineData("og/post-", false)]
    [InlineData("og/é", false)]
    [InlineData("og/\U0001F600-", true)]
    [InlineData("og/a-very-long-folder/and-another/", false)]
    public void ALargeSetOfIdsOutOfOrderSortsAsTheirStrings(string prefix, bool withHangul)
    {
        var pool = new PathPool();
        var random = new Random(31);
        // A long shared prefix, then runs that agree on 8 bytes and more (their order decided whole), shorter and longer
        // paths that start others, and (with Hangul beside characters above U+FFFF) bytes out of their strings' order.
        string[] tails = ["0", "00000-600", "00000-600.jpg", "00000-600.webp", "a", "\uE000", "\U0001F600", withHangul ? "\uD55C" : "b"];
        var paths = Enumerable.Range(0, 6_000).Select(i => prefix + tails[random.Next(tails.Length)] + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + tails[random.Next(tails.Length)])
            .Concat([prefix, prefix + "0"]).Distinct().OrderBy(_ => random.Next()).ToList();
        var added = paths.Select(p => pool.Add(p)).ToArray();
        // Sorted by keys alone, and split by a byte first wherever a group is larger than 100 ids or than none (every
        // level a split, in place).
        foreach (var keyedLimit in new[] { int.MaxValue, 100, 0 })
        {
            var ids = added.ToArray();
            pool.Sort(ids, keyedLimit);
            Assert.Equal(paths.Order(StringComparer.Ordinal), ids.Select(pool.PathOf));
        }
    }

    [Fact]
    public void GroupsThatTieOnManyBytesOrOnlyDifferByTrailingNulsSortAsTheirStrings()
    {
        var pool = new PathPool();
        var random = new Random(7);
        // Hundreds of paths that share a long middle after a split, paths that are others with NUL characters after
        // them (which read like a path's end), and a group of a hundred that agree on all but their last byte.
        var middle = new string('m', 41);
        var paths = Enumerable.Range(0, 300).Select(i => $"og/{(char)('a' + (i % 3))}{middle}{i:D4}.webp")
            .Concat(Enumerable.Range(0, 100).Select(i => "og/nul" + new string('\0', i)))
            .Concat(Enumerable.Range(0, 100).Select(i => "og/z" + middle + (char)(0x20 + i)))
            .Concat(Enumerable.Range(0, 1_000).Select(i => $"og/post-{i:D6}-{(i % 2 == 0 ? 600 : 1200)}.webp"))
            .OrderBy(_ => random.Next()).ToList();
        var added = paths.Select(p => pool.Add(p)).ToArray();
        // Sorted by keys alone, and split by a byte first wherever a group is larger than 100 ids or than none (every
        // level a split, in place).
        foreach (var keyedLimit in new[] { int.MaxValue, 100, 0 })
        {
            var ids = added.ToArray();
            pool.Sort(ids, keyedLimit);
            Assert.Equal(paths.Order(StringComparer.Ordinal), ids.Select(pool.PathOf));
        }
    }

    [Fact]
    public void ACardsOutputsAreHeldInAboutTheBytesTheyDoNotShare()
    {
        var pool = new PathPool();
        const int Items = 50_000;
        foreach (var i in Enumerable.Range(0, Items))
        {
            foreach (var suffix in new[] { "-600.jpg", "-600.webp", ".jpg", ".webp" })
            {
                pool.Add($"og/blog/2026/post-{i:D6}{suffix}");
            }
        }
        // Whole, 30 bytes and more a path; stored after the path before, 7 or so (and every 16th whole).
        Assert.InRange(pool.StoredBytes / (4.0 * Items), 4, 12);
        Assert.Equal("og/blog/2026/post-012345-600.webp", pool.PathOf((4 * 12_345) + 1));
    }

    [Fact]
    public void AFiledPoolHoldsOneBlockAndReadsFindsAndSortsPathsLongerThanAWindowAcrossItsFiledBlocks()
    {
        var pool = NewPool(filed: true);
        var random = new Random(11);
        // Over 2 MiB of paths in random order (three blocks, two filed), among them paths of 20,000 characters and
        // more (longer than the 8 KiB a window reads, some of two bytes a character) and runs that share a prefix.
        var paths = Enumerable.Range(0, 160_000)
            .Select(i => i % 16_000 == 17 ? $"og/long-{i}-" + new string(i % 2 == 0 ? 'é' : 'l', 20_000 + i) : $"og/{random.Next(1_000):D3}/post-{i:D6}{(i % 4 == 0 ? "-600.webp" : ".jpg")}")
            .OrderBy(_ => random.Next()).ToList();
        var ids = paths.Select(p => pool.Add(p)).ToArray();
        Assert.Equal(Enumerable.Range(0, paths.Count), ids);
        Assert.True(pool.StoredBytes > 2 << 20, $"{pool.StoredBytes} bytes");
        Assert.Equal(1, pool.BlocksHeld);
        Assert.True(_stores[0].UsesFile);
        var jumping = new PathPool.Cursor();
        foreach (var id in ids.OrderBy(_ => random.Next()))
        {
            Assert.Equal(paths[id], PathPool.TextOf(pool.Utf8(id, jumping)));
            Assert.Equal(id, pool.Find(paths[id]));
            Assert.Equal(-1, pool.Find(paths[id].AsSpan(0, paths[id].Length - 1)));
        }
        // Sorted by keys, and split by a byte at every level, reading entries from the filed blocks in any order.
        foreach (var keyedLimit in new[] { int.MaxValue, 0 })
        {
            var sorted = ids.ToArray();
            pool.Sort(sorted, keyedLimit);
            Assert.Equal(paths.Order(StringComparer.Ordinal), sorted.Select(pool.PathOf));
        }
        // Grown again (the index rebuilt from the filed bytes): everything is still found.
        pool.Expect(1_000_000);
        Assert.All(Enumerable.Range(0, paths.Count), id => Assert.Equal(id, pool.Find(paths[id])));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void AnIndexLargerThanItsHeldPartIsFiledAndFindsEveryPathAndNoOtherAsItGrowsFromManyThreads(long budget)
    {
        // An index held to 4,096 slots (one chunk): 50,000 paths grow it past that (filed, grown again from filed), added
        // from four threads at once, each path twice; then grown once more by Expect.
        var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "paths", new ScratchBudget(budget));
        _stores.Add(store);
        var pool = new PathPool(12);
        pool.KeepBlocksIn(store, heldIndexSlots: 4096);
        var paths = Enumerable.Range(0, 50_000).Select(i => $"og/{i % 13}/post-{i * 7919 % 50_000:D5}{(i % 5 == 0 ? "-600.webp" : ".png")}").ToArray();
        var ids = AddEachTwiceOnFourThreads(pool, paths);
        Assert.True(pool.FilesIndex);
        Assert.Equal(1, pool.IndexChunksHeld);
        void AllFound()
        {
            Assert.All(Enumerable.Range(0, paths.Length), i =>
            {
                Assert.Equal(ids[i], pool.Find(paths[i]));
                Assert.Equal(paths[i], pool.PathOf(ids[i]));
                // Paths that differ by a byte at either end, or are a prefix: none is held.
                Assert.Equal(-1, pool.Find("x" + paths[i][1..]));
                Assert.Equal(-1, pool.Find(paths[i].AsSpan(0, paths[i].Length - 1)));
            });
        }
        AllFound();
        pool.Expect(200_000);
        AllFound();
        Assert.Equal(paths.Length, pool.Add("og/new.webp"));
        Assert.Equal(paths.Length, pool.Find("og/new.webp"));
        Assert.Equal(ids[123], pool.Add(paths[123]));
        Assert.Equal(paths.Length + 1, pool.Count);
        Assert.Equal(1, pool.IndexChunksHeld);
        // A pool that files its blocks but not more slots than it may hold keeps its index whole.
        var small = NewPool(filed: true);
        small.Add("og/a.webp");
        small.Expect(1_000);
        Assert.False(small.FilesIndex);
    }

    [Fact]
    public void OneCursorReadingTwoFiledPoolsInTurnReadsEachOnesOwnPaths()
    {
        // Two pools of small blocks whose entries sit at the same places in their blocks, read in turn by one cursor
        // (as a thread's cursor for comparisons is): what it read of one pool's block is never taken for the other's.
        var pools = new[] { new PathPool(10), new PathPool(10) };
        foreach (var (pool, n) in pools.Select((pool, n) => (pool, n)))
        {
            var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "paths", new ScratchBudget(0));
            _stores.Add(store);
            pool.KeepBlocksIn(store);
            for (var i = 0; i < 500; i++)
            {
                pool.Add($"og/{(char)('a' + n)}/post-{i:D4}.webp");
            }
            Assert.Equal(1, pool.BlocksHeld);
            Assert.True(pool.StoredBytes > 4 << 10);
        }
        var cursor = new PathPool.Cursor();
        for (var i = 0; i < 500; i++)
        {
            foreach (var (pool, n) in pools.Select((pool, n) => (pool, n)))
            {
                Assert.Equal($"og/{(char)('a' + n)}/post-{i:D4}.webp", PathPool.TextOf(pool.Utf8(i, cursor)));
            }
        }
    }

    [Fact]
    public void ExpectedRoomChangesNothingThatIsHeld()
    {
        var pool = new PathPool();
        var a = pool.Add("og/a.webp");
        pool.Expect(100_000);
        var b = pool.Add("og/b.webp");
        Assert.Equal("og/a.webp", pool.PathOf(a));
        Assert.Equal(a, pool.Find("og/a.webp"));
        Assert.Equal(b, pool.Find("og/b.webp"));
        Assert.Equal(2, pool.Count);
    }
}
