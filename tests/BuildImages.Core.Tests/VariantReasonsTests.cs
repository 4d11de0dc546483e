using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>
/// An item of which only some outputs render keeps which and why to the render phase's end: items with the same
/// reasons share one list, and each item's map names its own outputs.
/// </summary>
public sealed class VariantReasonsTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void ItemsWithTheSameReasonsShareOneListAndEachMapsItsOwnOutputs()
    {
        var config = ConfigLoader.Load(_site.ConfigFile);
        var workspace = new Workspace(config);
        var cards = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["cards"]).Items;
        var options = new RenderReason(RenderReasonKind.OptionsChanged, "options changed (q80 → q81)");
        var missing = new RenderReason(RenderReasonKind.OutputMissing, "output missing");
        var table = new VariantReasons.Table();

        var first = table.Of([options, null, null]);
        var second = table.Of([options, null, null]);
        var other = table.Of([options, null, missing]);
        // Equal text is not the same reason: the detector hands out one object per change.
        var copy = table.Of([new RenderReason(RenderReasonKind.OptionsChanged, options.Detail), null, null]);

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.NotSame(first, copy);
        Assert.Equal((1, 2), (first.Count, other.Count));
        foreach (var card in cards)
        {
            var map = other.Of(card);
            Assert.Equal([card.Variants[0].Path, card.Variants[2].Path], map.Keys.Select(v => v.Path));
            Assert.Same(options, map[card.Variants[0]]);
            Assert.Same(missing, map[card.Variants[2]]);
            Assert.False(map.ContainsKey(card.Variants[1]));
        }
    }

    [Fact]
    public void AVariantChangedInEveryCardRendersThatVariantOfEachForItsReason()
    {
        Assert.Equal(0, _site.Build().Failed);
        _site.Config["jobs"]![0]!["variants"]![0]!["quality"] = 70;
        _site.Save();

        var report = _site.Build();

        var rendered = report.Outputs.Where(o => o.Status == OutputStatus.Rendered).ToList();
        Assert.Equal(_site.Items.Select(i => $"og/{i["slug"]}.webp").Order(StringComparer.Ordinal), rendered.Select(o => o.Path).Order(StringComparer.Ordinal));
        Assert.All(rendered, o => Assert.StartsWith("options changed (", o.Reason, StringComparison.Ordinal));
        Assert.Equal(report.Outputs.Count - rendered.Count, report.Outputs.Count(o => o.Status == OutputStatus.Skipped));
    }
}
