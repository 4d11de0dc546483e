using BuildImages.Core.Build;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// The check's work list (<see cref="WorkList"/>): a number per planned item into the distinct reasons
/// (<see cref="ItemReasons"/>), the work made when a worker takes it, and cards equal in everything grouped by the check
/// (<see cref="CardClaims"/>, in parts kept in scratch stores) so the first of each group renders and the rest copy it.
/// </summary>
public sealed class WorkListTests : IDisposable
{
    private static readonly RenderReason New = new(RenderReasonKind.NewItem, "new item");

    private readonly string _dir = Directory.CreateTempSubdirectory("bi-work-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ScratchBlocks Store(ScratchBudget budget, string purpose = "claims") => new(Path.Combine(_dir, "m.json"), purpose, budget);

    // The groups as a plain array (0 where the table is not set), or null when there are none.
    private int[]? Groups(UInt128[] claims, int partClaims, ScratchBudget budget)
    {
        var table = new CardClaims(claims.Length, () => Store(budget), partClaims);
        for (var i = 0; i < claims.Length; i++)
        {
            table.Add(claims[i], i);
        }
        var equal = table.Group(claims.Length, Store(budget, "equal"));
        return equal is null ? null : [.. Enumerable.Range(0, claims.Length).Select(equal.Get)];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public void EqualClaimsGroupUnderTheFirstInPlanOrderAndZeroMeansNoWork(int partClaims)
    {
        var budget = new ScratchBudget(long.MaxValue);
        UInt128[] claims = [5, 0, 7, 5, 7, 5, 9];
        // Claims spread over the parts by their high bits, as hashes are.
        UInt128 Spread(UInt128 c) => c == 0 ? 0 : new UInt128((ulong)c * 0x9E3779B97F4A7C15UL, (ulong)c);
        Assert.Equal([-1, 0, -1, 1, 3, 1, 0], Groups([.. claims.Select(Spread)], partClaims, budget)!);
        Assert.Null(Groups([.. new UInt128[] { 1, 2, 0, 3 }.Select(Spread)], partClaims, budget));
        Assert.Null(Groups([], partClaims, budget));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void ClaimsAddedFromManyThreadsInPartsKeptInScratchFilesGroupAsASortOfThemAllDoesAndGiveTheirBudgetBack(long bytes)
    {
        // 300,000 cards, a quarter without work, the rest drawing from 100,000 distinct claims: in 30 parts of about
        // 10,000, from four threads; the groups as sorting every claim at once finds them.
        var random = new Random(17);
        var bytesOfClaims = new byte[100_000 * 16];
        random.NextBytes(bytesOfClaims);
        var distinct = Enumerable.Range(0, 100_000).Select(i => System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytesOfClaims.AsSpan(i * 16))).ToArray();
        var claims = Enumerable.Range(0, 300_000).Select(i => random.Next(4) == 0 ? UInt128.Zero : distinct[random.Next(distinct.Length)]).ToArray();
        var expected = new int[claims.Length];
        foreach (var group in Enumerable.Range(0, claims.Length).Where(i => claims[i] != 0).GroupBy(i => claims[i]).Where(g => g.Count() > 1))
        {
            var first = group.Min();
            foreach (var i in group)
            {
                expected[i] = i == first ? -1 : first + 1;
            }
        }
        var budget = new ScratchBudget(bytes == 0 ? 0 : 64 << 20);
        var stores = new List<ScratchBlocks>();
        var table = new CardClaims(claims.Length, () =>
        {
            var store = Store(budget);
            lock (stores)
            {
                stores.Add(store);
            }
            return store;
        }, 10_000);
        Parallel.For(0, claims.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => table.Add(claims[i], i));
        Assert.Equal(30, stores.Count);
        Assert.Equal(bytes == 0, stores.All(s => s.UsesFile));
        var equal = table.Group(claims.Length, Store(budget, "equal"))!;
        Assert.Equal(expected, Enumerable.Range(0, claims.Length).Select(equal.Get));
        // Every part released: the 6 MB they held is the budget's again (the groups' table holds 1.2 MB at most).
        Assert.All(stores, s => Assert.False(s.UsesFile));
        Assert.True(bytes == 0 || budget.TryTake(60 << 20), "the parts' memory was given back");
    }

    [Fact]
    public void AFirstTakenAfterItsEqualIsTheVeryWorkTheEqualCopies()
    {
        // Item 1 has no work; 2 is equal to 0 and is taken first, as a second worker may do.
        var needed = new ItemReasons(4, store: null);
        foreach (var i in new[] { 0, 2, 3 })
        {
            needed.Set(i, New);
        }
        var equal = new ChunkedArray<int>();
        equal.EnsureLength(4);
        equal.Set(0, -1);
        equal.Set(2, 1);
        var list = new WorkList(Array.Empty<PlannedItem>(), needed, count: 3, neededOutputs: 9, drawsCards: true, equal: equal);

        var second = list.Take(2)!;
        var first = list.Take(0)!;

        Assert.Same(first, second.EqualTo);
        Assert.Null(first.EqualTo);
        Assert.Null(list.Take(1));
        Assert.Null(list.Take(3)!.EqualTo);
        Assert.Equal([0, 2, 3], list.TakeAll().Select(w => w.PlanIndex));
        Assert.Equal(1, needed.Distinct);
    }

    [Fact]
    public void ItemReasonsKeepANumberPerItemFiledPastTheirHeldChunksAndEachDistinctReasonOnce()
    {
        var store = Store(new ScratchBudget(0), "reasons");
        const int Items = 1_000_000;
        var reasons = new ItemReasons(Items, store);
        var own = new RenderReason(RenderReasonKind.DataChanged, "data changed: title");
        Parallel.For(0, Items, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 3 != 0)
            {
                reasons.Set(i, i % 1000 == 1 ? own : New);
            }
        });
        Assert.True(store.UsesFile);
        Assert.InRange(reasons.ChunksHeld, 1, 64);
        Assert.Equal(2, reasons.Distinct);
        Assert.All(Enumerable.Range(0, Items).Where(i => i % 7 == 0), i => Assert.Same(i % 3 == 0 ? null : i % 1000 == 1 ? own : New, reasons.Of(i)));
        Assert.Throws<ArgumentException>(() => reasons.Set(0, "a string"));
    }
}
