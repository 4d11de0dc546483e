using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A chunked array shared with a snapshot: the snapshot keeps every entry as it was when shared, through sets in shared
/// chunks and in new ones, a clear, and a second share; the array itself reads what was last set. One that files its
/// chunks reads what was last set whatever the order of its reads and writes, on several threads, holding no more chunks
/// than allowed.
/// </summary>
public sealed class ChunkedArrayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-chunks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(0L, 3)]
    [InlineData(long.MaxValue, 2)]
    public void AnArrayThatFilesItsChunksReadsWhatWasLastSetInAnyOrder(long budget, int mostHeld)
    {
        var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "chunks", new ScratchBudget(budget));
        var array = new ChunkedArray<int>();
        // Set before filing began: kept.
        array.EnsureLength(100);
        array.Set(7, 70);
        array.KeepChunksIn(store, mostHeld);
        const int Length = 40_000;
        array.EnsureLength(Length);
        var expected = new int[Length];
        expected[7] = 70;
        var random = new Random(3);
        // In order, out of order, some entries set twice, most never (they read as 0 from chunks never set too).
        for (var n = 0; n < 30_000; n++)
        {
            var index = n < 10_000 ? n * 2 : random.Next(Length);
            if (random.Next(4) == 0)
            {
                Assert.Equal(expected[index], array.Get(index));
                continue;
            }
            expected[index] = n + 1;
            array.Set(index, n + 1);
        }
        Assert.Equal(budget == 0, store.UsesFile);
        Assert.Equal(mostHeld, array.ChunksHeld);
        foreach (var index in Enumerable.Range(0, Length).OrderBy(_ => random.Next()).Concat(Enumerable.Range(0, Length)))
        {
            Assert.Equal(expected[index], array.Get(index));
        }
        // Read on four threads at once, each in its own order.
        Parallel.For(0, 4, t =>
        {
            var order = new Random(t);
            for (var n = 0; n < 20_000; n++)
            {
                var index = order.Next(Length);
                Assert.Equal(expected[index], array.Get(index));
            }
        });
        Assert.InRange(array.ChunksHeld, 1, mostHeld);
        Assert.Throws<InvalidOperationException>(() => array[0]);
        array.Clear();
        Assert.All(Enumerable.Range(0, Length), i => Assert.Equal(0, array.Get(i)));
        array.Set(39_999, 5);
        Assert.Equal(5, array.Get(39_999));
    }

    // An array of length entries that files its chunks past mostHeld, in a store under a budget of budget bytes.
    private (ChunkedArray<T> Array, ScratchBlocks Store) Filed<T>(long budget, int mostHeld, int length)
        where T : unmanaged
    {
        var store = new ScratchBlocks(Path.Combine(_dir, "m.json"), "chunks", new ScratchBudget(budget));
        var array = new ChunkedArray<T>();
        array.KeepChunksIn(store, mostHeld);
        array.EnsureLength(length);
        return (array, store);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void PeekedAndPokedEntriesAreReadAndWrittenWhereTheirChunkIsFiledWhichIsFiledInPlaceWhenChangedAgain(long budget)
    {
        const int Length = 10 * 4096;
        var (array, store) = Filed<int>(budget, mostHeld: 2, Length);
        var expected = new int[Length];
        // Ten chunks, set in order and then against it, so each is filed (the first two held at the end).
        for (var i = 0; i < Length; i++)
        {
            array.Set(i, i);
        }
        for (var i = Length - 1; i >= 0; i--)
        {
            expected[i] = -i;
            array.Set(i, -i);
        }
        var filedBytes = store.FileBytes;
        Assert.Equal(budget == 0, filedBytes > 0);
        var random = new Random(5);
        Span<int> run = stackalloc int[20];
        for (var n = 0; n < 20_000; n++)
        {
            var index = random.Next(Length);
            if (random.Next(2) == 0)
            {
                expected[index] = n;
                array.Poke(index, n);
                continue;
            }
            var asked = random.Next(1, run.Length + 1);
            var count = array.Peek(index, run[..asked]);
            // A run never crosses its chunk's end (nor the array's).
            Assert.Equal(Math.Min(asked, 4096 - (index % 4096)), count);
            Assert.Equal(expected.AsSpan(index, count).ToArray(), run[..count].ToArray());
        }
        // Peeks and pokes bring no chunk back.
        Assert.Equal(2, array.ChunksHeld);
        Assert.All(Enumerable.Range(0, Length).OrderBy(_ => random.Next()), i => Assert.Equal(expected[i], array.Get(i)));
        // Every chunk changed again, in order and against it: each filed where it was, the scratch file no longer.
        for (var i = Length - 1; i >= 0; i--)
        {
            expected[i] = i * 3;
            array.Set(i, i * 3);
        }
        for (var i = 0; i < Length; i += 4096)
        {
            array.Set(i, 7);
            expected[i] = 7;
        }
        Assert.Equal(filedBytes, store.FileBytes);
        Assert.All(Enumerable.Range(0, Length), i => Assert.Equal(expected[i], array.Get(i)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task AFiledArraysSharedCopyKeepsWhatItSawWhileTheArrayGoesOnChangingAndFiling(long budget)
    {
        const int Length = 12 * 4096;
        var (array, _) = Filed<long>(budget, mostHeld: 3, Length);
        var now = new long[Length];
        for (var i = 0; i < Length; i++)
        {
            now[i] = i;
            array.Set(i, i);
        }
        // Three chunks held, nine filed: the copy reads both, and none of them changes under it.
        var first = array.Share();
        var seenByFirst = now.ToArray();
        var random = new Random(9);
        var reader = Task.Run(() =>
        {
            // Read while the array changes, files and brings chunks back on another thread.
            var order = new Random(1);
            for (var n = 0; n < 50_000; n++)
            {
                var i = order.Next(Length);
                Assert.Equal(seenByFirst[i], first.Get(i));
            }
        });
        for (var n = 0; n < 60_000; n++)
        {
            var i = random.Next(Length);
            now[i] = -n - 1;
            if (n % 2 == 0)
            {
                array.Set(i, now[i]);
            }
            else
            {
                array.Poke(i, now[i]);
            }
        }
        await reader;
        var second = array.Share();
        var seenBySecond = now.ToArray();
        for (var i = 0; i < Length; i += 3)
        {
            now[i] = 7;
            array.Set(i, 7);
        }
        Assert.InRange(array.ChunksHeld, 1, 3);
        Assert.All(Enumerable.Range(0, Length), i =>
        {
            Assert.Equal(seenByFirst[i], first.Get(i));
            Assert.Equal(seenBySecond[i], second.Get(i));
            Assert.Equal(now[i], array.Get(i));
        });
        // A copy is only read.
        Assert.Throws<InvalidOperationException>(() => first.Set(0, 1));
        Assert.Throws<InvalidOperationException>(first.Share);
        array.Clear();
        Assert.Equal(0, array.Get(5));
        Assert.Equal(seenBySecond[5], second.Get(5));
    }

    [Fact]
    public void ASharedCopyKeepsWhatItSawWhileTheArrayGoesOnChanging()
    {
        var array = new ChunkedArray<long>();
        array.EnsureLength(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            array.Set(i, i);
        }

        var first = array.Share();
        // Entries in two shared chunks and in a chunk made after the share.
        array.Set(5, -5);
        array.Set(9_000, -9_000);
        array.EnsureLength(20_000);
        array.Set(15_000, -15_000);
        Assert.Equal(5, first[5]);
        Assert.Equal(9_000, first[9_000]);
        Assert.Equal(12_288, first.Length);
        Assert.Equal(-5, array[5]);
        Assert.Equal(-9_000, array[9_000]);
        Assert.Equal(-15_000, array[15_000]);
        // A chunk copied once is the array's own: later sets in it are not seen by the snapshot either.
        array.Set(6, -6);
        Assert.Equal(6, first[6]);
        Assert.Equal(-6, array[6]);

        var second = array.Share();
        array.Clear();
        Assert.All(Enumerable.Range(0, 10_000), i => Assert.Equal(i, first[i]));
        Assert.Equal(-5, second[5]);
        Assert.Equal(-15_000, second[15_000]);
        Assert.Equal(0, array[5]);
        Assert.Equal(0, array[15_000]);
        Assert.Equal(7, second[7]);
    }
}
