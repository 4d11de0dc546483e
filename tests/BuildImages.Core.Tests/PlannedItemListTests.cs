using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>
/// A batch plan holds its cards as rows (<see cref="PlannedItemList"/>): every read must give back the card a plan of
/// objects holds, in every value a build reads, whatever the text of its id and output.
/// </summary>
public sealed class PlannedItemListTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void ACardHeldAsARowReadsBackEqualToTheCardPlannedAsAnObject()
    {
        var (config, workspace) = SiteWith(
            [
                new JsonObject { ["slug"] = "plain", ["title"] = "Plain" },
                new JsonObject { ["slug"] = "ünïcödé-ß", ["title"] = "Ünïcödé", ["alt"] = "Given alt" },
                new JsonObject { ["slug"] = "emoji-😀-漢字", ["title"] = "😀 漢字", ["tags"] = new JsonArray("a", "b") },
            ]);

        var rows = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["many"], null, new FieldStore(besideFile: null, memoryBudget: 1 << 20));
        var objects = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["many"], null, fields: null);

        Assert.Equal(3, rows.Items.Count);
        Assert.Equal(objects.Items.Select(Describe), rows.Items.Select(Describe));
        Assert.Equal(objects.OutputCount, rows.OutputCount);
        Assert.Equal(6, rows.OutputCount);
        // Rows are made anew on each read; items held as given are the same object.
        Assert.NotSame(rows.Items[1], rows.Items[1]);
        Assert.Equal(Describe(rows.Items[1]), Describe(rows.Items[1]));
        Assert.Same(objects.Items[1], objects.Items[1]);
    }

    [Fact]
    public void IdsWithLoneSurrogatesOrTooLongForABlockComeBackExactlyAndAnOutputWithOneIsRefused()
    {
        var (config, workspace) = SiteWith([new JsonObject { ["slug"] = "unused", ["title"] = "Unused" }]);
        // A template's string functions, or a hook's JSON escapes, can cut a surrogate pair in two: such an id must come
        // back as it went in, and such an output name is a located problem, not a crash.
        var lone = "x\ud800y";
        var huge = new string('é', 400_000);
        var longest = new string('a', 21_000);
        DataItem[] given =
        [
            new("<hook>", 0, "id-" + lone, new Dictionary<string, object?> { ["slug"] = "lone-id", ["title"] = "Lone" }),
            new("<hook>", 0, huge, new Dictionary<string, object?> { ["slug"] = "long", ["title"] = "Long id" }),
            new("<hook>", 0, "half-slug", new Dictionary<string, object?> { ["slug"] = "s-" + lone, ["title"] = "Half" }),
            new("<hook>", 0, "last\udc00", new Dictionary<string, object?> { ["slug"] = "last", ["title"] = "Last" }),
            new("<hook>", 0, longest, new Dictionary<string, object?> { ["slug"] = longest[..150], ["title"] = "Longest in a row" }),
        ];

        var rows = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, null, ("many", given), new FieldStore(besideFile: null, memoryBudget: 1 << 20));
        var objects = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, null, ("many", given), fields: null);

        Assert.Equal(["id-" + lone, huge, "last\udc00", longest], rows.Items.Select(i => i.Item.Id));
        Assert.Equal(objects.Items.Select(Describe), rows.Items.Select(Describe));
        var refused = Assert.Single(rows.Problems, p => p.Severity == Diagnostics.DiagnosticSeverity.Error);
        Assert.Equal((Diagnostics.DiagnosticCodes.UnsafeOutputPath, "many/half-slug"), (refused.Code, refused.Item));
        Assert.Contains("half of a character", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFilteredListKeepsOrderAndTheIndexFindsEachItemByJobAndOutputStem()
    {
        var items = Enumerable.Range(0, 300).Select(i => new JsonObject { ["slug"] = $"p-{i}", ["title"] = $"Post {i}" }).ToArray();
        var (config, workspace) = SiteWith(items);
        var rows = (PlannedItemList)BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, null, null, new FieldStore(besideFile: null, memoryBudget: 1 << 20)).Items;
        // The fixture's inline job is held as rows too (its items have fields): a plan of objects is held as given.
        var held = PlannedItemList.Of(BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, null, null, fields: null).Items.ToList());

        foreach (var list in new[] { rows, held })
        {
            var index = list.IndexByOutput();
            for (var i = 0; i < list.Count; i++)
            {
                Assert.Equal(i, index.Find(list[i].Job.Name, list[i].Output));
            }
            Assert.Equal(-1, index.Find("many", "many/p-300"));
            Assert.Equal(-1, index.Find("notes", "many/p-1"));
            Assert.Equal(-1, index.Find("many", "MANY/p-1"));

            var even = PlannedItemList.Filter(list, (item, i) => i % 2 == 0);
            Assert.Equal(list.Where((_, i) => i % 2 == 0).Select(Describe), even.Select(Describe));
            Assert.Same(list, PlannedItemList.Filter(list, (_, _) => true));
        }
        Assert.Equal(rows.Select(Describe), held.Select(Describe));
    }

    [Fact]
    public void RowsKeptInTheScratchFileReadBackEqualInEveryPassAndFilter()
    {
        // About 90 bytes a row: 3,000 rows fill four 64 KB blocks, which a budget of nothing sends to the file.
        var items = Enumerable.Range(0, 3000).Select(i => new JsonObject { ["slug"] = $"post-{i:D5}-ü", ["title"] = $"Post {i}" }).ToArray();
        var (config, workspace) = SiteWith(items);
        var budget = new Primitives.ScratchBudget(0);
        var rowStore = new Primitives.ScratchBlocks(_site.ManifestFile, "plan", budget, makeFolder: true);
        var spilled = (PlannedItemList)BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["many"], null, new FieldStore(_site.ManifestFile, budget), rowStore: rowStore).Items;
        var inMemory = (PlannedItemList)BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["many"], null, new FieldStore(besideFile: null, memoryBudget: 1 << 20)).Items;

        Assert.True(rowStore.UsesFile);
        Assert.Equal(3000, spilled.Count);
        Assert.Equal(6000, spilled.OutputCount);
        var expected = inMemory.Select(Describe).ToList();
        Assert.Equal(expected, spilled.Select(Describe));
        // Read one at a time, from both ends and from two threads at once, as the check and the workers read them.
        var byIndex = new string[spilled.Count];
        Parallel.For(0, spilled.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => byIndex[spilled.Count - 1 - i] = Describe(spilled[spilled.Count - 1 - i]));
        Assert.Equal(expected, byIndex);
        var index = spilled.IndexByOutput();
        Assert.Equal(2999, index.Find("many", "many/post-02999-ü"));
        Assert.Equal(0, index.Find("many", "many/post-00000-ü"));
        Assert.Equal(-1, index.Find("many", "many/post-03000-ü"));
        var odd = PlannedItemList.Filter(spilled, (_, i) => i % 2 == 1);
        Assert.Equal(expected.Where((_, i) => i % 2 == 1), odd.Select(Describe));
        Assert.Equal(3000, ((PlannedItemList)odd).OutputCount);
        // A file that failed part way drops its rows, and their outputs from the count.
        spilled.Truncate(1000);
        Assert.Equal((1000, 2000), (spilled.Count, spilled.OutputCount));
        Assert.Equal(expected.Take(1000), spilled.Select(Describe));
    }

    [Fact]
    public void EachRowKeepsItsOwnDataFileWhenFilesComeBackInAnotherJob()
    {
        foreach (var name in new[] { "b", "c", "d" })
        {
            _site.Write($"more/{name}.json", new JsonArray(new JsonObject { ["slug"] = name, ["title"] = name.ToUpperInvariant() }).ToJsonString());
        }
        // Two jobs over one folder: the second job's rows name files the first job's rows named before the last one.
        foreach (var job in new[] { "one", "two" })
        {
            _site.Config["jobs"]!.AsArray().Add(new JsonObject
            {
                ["name"] = job, ["template"] = "tpl/plain", ["size"] = "200x100", ["data"] = "more/*.json", ["output"] = job + "/{{ slug }}",
                ["variants"] = new JsonArray(new JsonObject { ["format"] = "png" }),
            });
        }
        _site.Save();
        var config = ConfigLoader.Load(_site.ConfigFile);
        var workspace = new Workspace(config);

        var plan = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["one", "two"], null, new FieldStore(besideFile: null, memoryBudget: 1 << 20));

        Assert.Equal(["one/b", "one/c", "one/d", "two/b", "two/c", "two/d"], plan.Items.Select(i => i.Name));
        Assert.All(plan.Items, i => Assert.Equal($"{i.Item.Id}.json", Path.GetFileName(i.Item.SourceFile)));
    }

    private (BuildConfig Config, Workspace Workspace) SiteWith(JsonObject[] items)
    {
        _site.Config["jobs"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "many", ["template"] = "tpl/plain", ["size"] = "200x100", ["data"] = "many.json", ["output"] = "many/{{ slug }}",
            ["alt"] = "{{ alt ?? title }}",
            ["variants"] = new JsonArray(new JsonObject { ["format"] = "png" }, new JsonObject { ["format"] = "webp", ["width"] = 100 }),
        });
        _site.Save();
        _site.Write("many.json", new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()).ToJsonString());
        var config = ConfigLoader.Load(_site.ConfigFile);
        return (config, new Workspace(config));
    }

    /// <summary>Every value of a planned item a build reads.</summary>
    private static string Describe(PlannedItem item) =>
        string.Join(" | ",
            item.GetType().Name, item.Name, item.RecordKey, item.Output, item.PreKey, item.TemplateKey, item.Size.ToString(), item.Alt ?? "(no alt)",
            item.Item.SourceFile, item.Item.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Item.Id,
            JsonSerializer.Serialize(item.LoadFields()), string.Join(", ", item.Variants.Select(v => $"{v.Path} {v.Signature}")),
            item is PlannedCard card ? card.Template.MainFile : "(photo)");
}
