using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A list of diagnostics kept serialised: read back with every field in the order added, from memory or from the scratch
/// file; truncated with its error count; and a sibling's diagnostics moved to its end without being copied.
/// </summary>
public sealed class DiagnosticListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-diagnostic-list-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ScratchBlocks Store(long budget) => new(Path.Combine(_dir, "m.json"), "problems", new ScratchBudget(budget));

    private static List<Diagnostic> Made(int count, string prefix = "") =>
        [.. Enumerable.Range(0, count).Select(i => new Diagnostic(
            i % 4 == 0 ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            i % 3 == 0 ? "BI0021" : "BI0020",
            $"{prefix}items blog/same-{i} (posts.json:{i + 2}) and blog/same (posts.json:2) both write 'og/same.png' — 同じ {i}",
            i % 5 == 0 ? null : "/site/posts.json",
            i + 2,
            i % 7,
            i % 6 == 0 ? null : $"blog/same-{i}"))];

    [Theory]
    [InlineData(0)]
    [InlineData(64L << 20)]
    public void DiagnosticsAreReadBackInOrderWithEveryFieldFromMemoryOrTheScratchFile(long budget)
    {
        var store = Store(budget);
        var list = new DiagnosticList(store);
        var added = Made(30_000);
        added.ForEach(list.Add);

        var all = list.All();

        Assert.Equal(budget == 0, store.UsesFile);
        Assert.Equal(added, all);
        Assert.Equal(added.Count(d => d.Severity == DiagnosticSeverity.Error), list.ErrorCount);
        Assert.Equal(list.ErrorCount, ((DiagnosticList.Listed)all).ErrorCount);
        Assert.Equal(added[12_345], all[12_345]);
        Assert.Throws<ArgumentOutOfRangeException>(() => all[all.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => all[-1]);
    }

    [Fact]
    public void TruncatingForgetsTheLaterDiagnosticsAndTheirErrorsAndAListMadeBeforeKeepsItsCount()
    {
        var list = new DiagnosticList(Store(0));
        var kept = Made(2_000);
        var dropped = Made(1_000, "dropped ");
        kept.ForEach(list.Add);
        dropped.ForEach(list.Add);
        var before = list.All();

        list.Truncate(kept.Count);
        var later = new Diagnostic(DiagnosticSeverity.Error, "BI0021", "added after the truncation");
        list.Add(later);

        Assert.Equal([.. kept, later], list.All());
        Assert.Equal(kept.Count(d => d.Severity == DiagnosticSeverity.Error) + 1, list.ErrorCount);
        Assert.Equal(3_000, before.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => list.Truncate(list.Count + 1));
    }

    [Fact]
    public void ASiblingsDiagnosticsAreAddedAtTheEndInTheirOrderAndAnotherStoresAreRefused()
    {
        var list = new DiagnosticList(Store(0));
        var sibling = list.Sibling();
        var first = Made(500, "first ");
        var theirs = Made(700, "theirs ");
        // Interleaved in the store, as a job's file failures and its items' problems are.
        for (var i = 0; i < theirs.Count; i++)
        {
            sibling.Add(theirs[i]);
            if (i < first.Count)
            {
                list.Add(first[i]);
            }
        }

        list.AddAll(sibling);

        Assert.Equal([.. first, .. theirs], list.All());
        Assert.Equal(first.Concat(theirs).Count(d => d.Severity == DiagnosticSeverity.Error), list.ErrorCount);
        Assert.Throws<ArgumentException>(() => list.AddAll(new DiagnosticList(Store(0))));
    }
}
