using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>
/// Cards whose pixels equal a card that failed fail with that card's error, for themselves: a mistake in the template
/// or an asset is shown once with the count of items it failed, each item counted once, not an error per output of
/// every copy (a catalogue of equal cards with one missing image printed four errors per item, and held them all).
/// </summary>
public sealed class FailedCopyTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void CopiesOfACardThatFailedFailWithItsErrorShownOnceAndCountedOncePerItem()
    {
        // Six items the template draws alike (it does not show the slug), whose logo is missing: the first renders and
        // fails, the others copy its markup.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 6).Select(i => BuildFixture.Item($"same-{i}", "Same title", logo: "assets/missing.svg")));
        _site.Save();
        var observer = new RecordingObserver();

        var report = _site.Build(new BuildOptions { Parallelism = 1 }, observer);

        var cards = report.Outputs.Where(o => o.Path.StartsWith("og/", StringComparison.Ordinal)).ToList();
        Assert.Equal(18, cards.Count);
        Assert.All(cards, o => Assert.Equal(OutputStatus.Failed, o.Status));
        // One error per item, every one the template's mistake at the template's place.
        Assert.Equal(6, report.Errors.Count);
        var place = report.Errors.Select(e => (e.Code, e.File, e.Line, e.Column)).Distinct().ToList();
        var only = Assert.Single(place);
        Assert.Equal("BI0300", only.Code);
        Assert.EndsWith(Path.Combine("tpl", "mini", "card.sbn"), only.File, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"cards/same-{i}"), report.Errors.Select(e => e.Item).Order(StringComparer.Ordinal));
        // Told once, with the five other items counted once each.
        Assert.Single(observer.Diagnostics, d => d.Code == "BI0300");
        Assert.DoesNotContain(observer.Diagnostics, d => d.Code == DiagnosticCodes.RenderFailed);
        Assert.Contains(observer.Messages, m => m.Contains("also failed 5 more items", StringComparison.Ordinal));
        // The notes job renders: the failure is the cards' alone.
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(report));
    }

    [Fact]
    public void CopiesOfACardThatFailsNowFailTooWhenTheLastBuildLeftItsFilesAndNoneIsWrittenOrRecorded()
    {
        // Six items drawn alike with a logo; built once, then the logo is deleted. The first card fails now, but its
        // record and files are the last build's: copying those would write the old logo's pixels as this build's cards.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 6).Select(i => BuildFixture.Item($"same-{i}", "Same title", logo: "assets/logo.svg")));
        _site.Save();
        var first = _site.Build(new BuildOptions { Parallelism = 1 });
        Assert.Equal(0, first.Failed);
        Assert.Equal(15, first.Outputs.Count(o => o.Path.StartsWith("og/same-", StringComparison.Ordinal) && o.Status == OutputStatus.Deduplicated));
        var before = CardFiles("og");
        var manifest = File.ReadAllText(Path.Combine(_site.Site, ".buildimages-manifest.json"));
        File.Delete(Path.Combine(_site.Root, "assets", "logo.svg"));

        var report = _site.Build(new BuildOptions { Parallelism = 1 });

        var cards = report.Outputs.Where(o => o.Path.StartsWith("og/same-", StringComparison.Ordinal)).ToList();
        Assert.Equal(18, cards.Count);
        Assert.All(cards, o => Assert.Equal(OutputStatus.Failed, o.Status));
        Assert.Equal(6, report.Failed);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"cards/same-{i}"), report.Errors.Where(e => e.Code == "BI0300").Select(e => e.Item).Order(StringComparer.Ordinal));
        // Nothing written: the last build's files are as they were, and its records are not claimed for the new inputs.
        Assert.Equal(before, CardFiles("og"));
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(_site.Site, ".buildimages-manifest.json")));
    }

    [Fact]
    public void ACardEqualToACopyOfACardThatFailsFailsTooWhenTheLastBuildLeftTheFiles()
    {
        // A second job like the first but for its folder: each of its cards is equal in everything to its twin in the
        // first job, and the first job's second card copies its first card's markup. A chain: tw/same-1 takes
        // og/same-1's outputs, which copy og/same-0's. Built once, then the logo is deleted: og/same-0 fails, and so
        // must every card down the chain, not copy the files the last build left.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 2).Select(i => BuildFixture.Item($"same-{i}", "Same title", logo: "assets/logo.svg")));
        var twins = _site.Config["jobs"]![0]!.DeepClone().AsObject();
        twins["name"] = "twins";
        twins["output"] = "tw/{{ slug }}";
        _site.Config["jobs"]!.AsArray().Add(twins);
        _site.Save();
        var first = _site.Build(new BuildOptions { Parallelism = 1 });
        Assert.Equal(0, first.Failed);
        Assert.Equal(["og/same-0-120.webp", "og/same-0.jpg", "og/same-0.webp"], BuildFixture.Rendered(first).Where(p => p.Contains("same-", StringComparison.Ordinal)));
        var before = CardFiles("og", "tw");
        Assert.Equal(12, before.Count);
        File.Delete(Path.Combine(_site.Root, "assets", "logo.svg"));

        var report = _site.Build(new BuildOptions { Parallelism = 1 });

        var cards = report.Outputs.Where(o => o.Path.Contains("/same-", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, cards.Count);
        Assert.All(cards, o => Assert.Equal(OutputStatus.Failed, o.Status));
        Assert.Equal(4, report.Failed);
        Assert.Equal(before, CardFiles("og", "tw"));
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public void ErrorsOfAKindPastTheGroupedKindsAreToldEachTimeAndEveryOneIsInTheReport(int kinds)
    {
        // Three cards miss one logo, three another: two kinds of error (the logo's name is in the words).
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 6).Select(i => BuildFixture.Item($"item-{i}", $"Title {i}", logo: i < 3 ? "assets/missing-a.svg" : "assets/missing-b.svg")));
        _site.Save();
        var observer = new RecordingObserver();

        var report = _site.Build(new BuildOptions { Parallelism = 1, MostRepeatedErrors = kinds }, observer);

        Assert.Equal(6, report.Failed);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"cards/item-{i}"), report.Errors.Where(e => e.Code == "BI0300").Select(e => e.Item).Order(StringComparer.Ordinal));
        var told = observer.Diagnostics.Where(d => d.Code == "BI0300").ToList();
        var grouped = observer.Messages.Where(m => m.Contains("also failed 2 more items", StringComparison.Ordinal)).ToList();
        if (kinds > 1)
        {
            // Each kind told once, for its first item, with the two more it failed.
            Assert.Equal(2, told.Count);
            Assert.Equal(2, grouped.Count);
        }
        else
        {
            // Only the first kind is grouped: the second is told for each of its items.
            Assert.Equal(4, told.Count);
            Assert.Equal(3, told.Count(d => d.Message.Contains("missing-b", StringComparison.Ordinal)));
            Assert.EndsWith("cards/item-1, cards/item-2", Assert.Single(grouped), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ACopyOfACardWhoseFileCouldNotBeWrittenFailsOnceAtItsOwnItemNamingThatCard()
    {
        // The first card's 240-wide WebP cannot be written (a folder stands at its path): an error at its item, naming
        // its file. The cards drawn alike copy it: each fails once, at its own item, saying whose copy it is.
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 3).Select(i => BuildFixture.Item($"same-{i}", "Same title")));
        _site.Save();
        Directory.CreateDirectory(Path.Combine(_site.Site, "og", "same-0.webp"));

        var report = _site.Build(new BuildOptions { Parallelism = 1 });

        var errors = report.Errors.Where(e => e.Item?.StartsWith("cards/", StringComparison.Ordinal) == true).OrderBy(e => e.Item, StringComparer.Ordinal).ToList();
        Assert.Equal(["cards/same-0", "cards/same-1", "cards/same-2"], errors.Select(e => e.Item));
        Assert.Contains("same-0.webp", errors[0].Message, StringComparison.Ordinal);
        var items = Path.Combine(_site.Root, "items.json");
        Assert.All(errors, e => Assert.Equal(items, e.File));
        Assert.Equal([(DiagnosticCodes.RenderFailed, 6, "this card is identical to cards/same-0, which failed"), (DiagnosticCodes.RenderFailed, 10, "this card is identical to cards/same-0, which failed")],
            errors.Skip(1).Select(e => (e.Code, e.Line, e.Message)));
        // A card fails whole: every output of the three failed, each counted once.
        Assert.Equal(9, report.Outputs.Count(o => o.Path.StartsWith("og/same-", StringComparison.Ordinal) && o.Status == OutputStatus.Failed));
        Assert.Equal(3, report.Failed);
    }

    /// <summary>The files of the cards named same-* in <paramref name="folders"/> of the site, by path, with their bytes (as hex: compared by value).</summary>
    private SortedDictionary<string, string> CardFiles(params string[] folders) =>
        new(folders.SelectMany(f => Directory.GetFiles(Path.Combine(_site.Site, f), "same-*")).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
