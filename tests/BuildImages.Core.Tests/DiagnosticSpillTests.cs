using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A build's errors and warnings are kept serialised, read back as the report is read: the same ones, in the order they
/// were logged, with every field, from memory or from the scratch file; and the items an error failed are counted
/// without keeping every name.
/// </summary>
public sealed class DiagnosticSpillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-diagnostics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<Diagnostic> Logged(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Diagnostic(
            i % 5 == 0 ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            i % 3 == 0 ? "BI0300" : "BI0034",
            i % 7 == 0 ? $"image 'logo-{i}.svg' was not found — 画像 {i}" : $"this card is identical to blog/post-{i / 2}, which failed ({i})",
            i % 4 == 0 ? null : $"/site/templates/card-{i % 9}.sbn",
            i % 11,
            i % 13,
            i % 6 == 0 ? null : $"blog/post-{i:D6}"))];

    [Theory]
    [InlineData(0)]
    [InlineData(64L << 20)]
    public void DiagnosticsAreReadBackAsLoggedByKindInOrderFromMemoryOrTheScratchFile(long budget)
    {
        var spill = new DiagnosticSpill(Path.Combine(_dir, "m.json"), new ScratchBudget(budget));
        var logged = Logged(20_000);
        Parallel.ForEach(Partition(logged), part => part.ForEach(spill.Add));

        var errors = spill.Errors();
        var warnings = spill.Warnings();

        Assert.Equal(budget == 0, spill.UsesFile);
        // Every one, each field as logged (every message is different).
        Assert.Equal(logged.Where(d => d.Severity == DiagnosticSeverity.Error).OrderBy(d => d.Message, StringComparer.Ordinal), errors.OrderBy(d => d.Message, StringComparer.Ordinal));
        Assert.Equal(logged.Where(d => d.Severity == DiagnosticSeverity.Warning).OrderBy(d => d.Message, StringComparer.Ordinal), warnings.OrderBy(d => d.Message, StringComparer.Ordinal));
        // Logged from two threads, each in its own order: each thread's come back in that order.
        foreach (var part in Partition(logged))
        {
            var mine = part.ToHashSet();
            Assert.Equal(part.Where(d => d.Severity == DiagnosticSeverity.Error), errors.Where(mine.Contains));
        }
        Assert.Equal(spill.ErrorCount, errors.Count);
        Assert.Equal(errors.ToList(), Enumerable.Range(0, errors.Count).Select(i => errors[i]).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => errors[errors.Count]);
    }

    [Fact]
    public void OneThreadsDiagnosticsKeepTheirOrderAndAListKeepsItsCountWhenMoreAreLogged()
    {
        var spill = new DiagnosticSpill(Path.Combine(_dir, "m.json"), new ScratchBudget(0));
        var logged = Logged(3_000);
        logged.ForEach(spill.Add);
        var before = spill.Errors();

        spill.Add(new Diagnostic(DiagnosticSeverity.Error, "BI0001", "later"));

        Assert.Equal(logged.Where(d => d.Severity == DiagnosticSeverity.Error), before);
        Assert.Equal(before.Count + 1, spill.Errors().Count);
        Assert.Equal("later", spill.Errors()[^1].Message);
    }

    [Fact]
    public void ARepeatedErrorCountsEveryItemAndNamesTheFirstFewInOrdinalOrder()
    {
        var group = new RepeatedError();
        var names = Enumerable.Range(0, 1_000).Select(i => $"blog/post-{i:D4}").Append("Blog/Upper").Append("blog/post-0003").ToList();
        var shuffled = names.OrderBy(n => n.GetHashCode(StringComparison.Ordinal)).ToList();
        var told = shuffled.Where(group.Add).ToList();

        var (more, first) = group.MoreAndFirst();

        Assert.Single(told);
        Assert.Equal(names.Count - 1, more);
        // The smallest five of all but the one told with the error, each name once.
        Assert.Equal(shuffled.Skip(1).Distinct().Order(StringComparer.Ordinal).Take(RepeatedError.Named), first);
    }

    private static IEnumerable<List<Diagnostic>> Partition(List<Diagnostic> logged) =>
        [[.. logged.Where((_, i) => i % 2 == 0)], [.. logged.Where((_, i) => i % 2 == 1)]];
}
