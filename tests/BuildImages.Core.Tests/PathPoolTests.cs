using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// The build's pool of output paths: one id per distinct string (exactly, lone surrogates included), ids ordered as
/// the strings are ordinally, paths read back as given, and adds from many threads at once.
/// </summary>
public sealed class PathPoolTests
{
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
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), pool.Utf8(pool.Add(text)).ToArray());
        }
    }

    [Fact]
    public void ThreadsAddingAtOnceGetOneIdPerPathAcrossManyBlocks()
    {
        var pool = new PathPool();
        // 60,000 paths of about 40 bytes: more than two of the pool's 1 MiB blocks, and many doublings of its arrays.
        var paths = Enumerable.Range(0, 60_000).Select(i => $"og/{i % 7}/post-{i:D6}-{(i % 3 == 0 ? "é" : "e")}.webp").ToArray();
        var ids = new int[paths.Length];
        var again = new int[paths.Length];
        Parallel.For(0, paths.Length * 2, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            var i = n % paths.Length;
            if (n < paths.Length)
            {
                ids[i] = pool.Add(paths[i]);
            }
            else
            {
                again[i] = pool.Add(paths[i]);
            }
        });
        Assert.Equal(paths.Length, pool.Count);
        Assert.Equal(ids, again);
        Assert.Equal(Enumerable.Range(0, paths.Length), ids.Order());
        Assert.All(Enumerable.Range(0, paths.Length), i => Assert.Equal(paths[i], pool.PathOf(ids[i])));
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
