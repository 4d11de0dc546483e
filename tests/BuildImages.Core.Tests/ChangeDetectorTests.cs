using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>
/// The reason a card renders for is held by the work list to the render phase's end: a change every card shares must
/// be one object, not one (with its text) per card, and each card's reason must still name its own change.
/// </summary>
public sealed class ChangeDetectorTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void AChangeEveryCardSharesIsOneReasonAndEachDistinctChangeKeepsItsOwnDetail()
    {
        _site.Items.Clear();
        _site.Items.AddRange(Enumerable.Range(0, 5000).Select(i => BuildFixture.Item($"p-{i}", $"Post {i}")));
        _site.Save();
        var config = ConfigLoader.Load(_site.ConfigFile);
        var workspace = new Workspace(config);
        var cards = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["cards"]).Items;
        Assert.Equal(5000, cards.Count);
        InputSet Set(string engine) => new() { Engine = engine, Templates = [], Fonts = [], Assets = [] };
        ItemRecord Record(PlannedItem card, string? template = null, bool titleChanged = false) => new()
        {
            Job = card.Job.Name, Item = card.Item.Id, Source = "items.json", Output = card.Output, Template = template ?? card.TemplateKey,
            Size = card.Size.ToString(), PreKey = titleChanged ? "older" : card.PreKey, Inputs = "set", Variants = [],
            Fields = titleChanged ? card.FieldHashes().ToDictionary(f => f.Key, f => f.Key == "title" ? "older" : f.Value) : [],
        };
        ChangeDetector Detector(string recordedEngine) =>
            new("engine 2", new FileHashCache(new Dictionary<string, FileRecord>(), workspace.Paths), new StatCache(), _ => Set(recordedEngine), _site.Site, force: false);

        // The engine changed for every card: one reason.
        var engine = Detector("engine 1");
        var reasons = cards.Select(c => engine.CardReason(c, Record(c))!).ToList();
        Assert.All(reasons, r => Assert.Same(reasons[0], r));
        Assert.Equal((RenderReasonKind.EngineChanged, "engine or native library versions changed (engine 1 → engine 2)"), (reasons[0].Kind, reasons[0].Detail));

        // Every card's title changed: one reason, naming the field.
        var data = Detector("engine 2");
        reasons = cards.Select(c => data.CardReason(c, Record(c, titleChanged: true))!).ToList();
        Assert.All(reasons, r => Assert.Same(reasons[0], r));
        Assert.Equal((RenderReasonKind.DataChanged, "data field 'title' changed"), (reasons[0].Kind, reasons[0].Detail));

        // Each card's template was another one: 5,000 details, past the ones shared, each reason still its card's own.
        reasons = cards.Select((c, i) => data.CardReason(c, Record(c, template: $"old-{i}"))!).ToList();
        Assert.Equal(cards.Select((c, i) => $"template changed (old-{i} → {c.TemplateKey})"), reasons.Select(r => r.Detail));
        Assert.All(reasons, r => Assert.Equal(RenderReasonKind.TemplateChanged, r.Kind));
        // The first card's change again: the reason given before.
        Assert.Same(reasons[0], data.CardReason(cards[0], Record(cards[0], template: "old-0")));
    }
}
