using System.Collections;
using BuildImages.Core.Data;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>
/// A batch build keeps its cards' fields encoded once they are planned (<see cref="FieldStore"/>): what comes back is
/// what the readers made, value for value, type for type, in order; what cannot come back exactly is not encoded.
/// </summary>
public sealed class FieldStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-fields-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        File.WriteAllText(Path.Combine(_dir, name), text);
        return name;
    }

    /// <summary>Items of every reader: nested objects and lists, whole and other numbers, booleans, null, escapes, astral and combining text.</summary>
    private List<DataItem> ItemsOfEveryReader() =>
    [
        .. DataLoader.Load(Write("a.json", """
            [{"slug":"one","title":"Caf\u00e9 \ud83d\ude80 e\u0301","n":2,"big":9007199254740993,"x":-0.0,"pi":3.141592653589793,"ok":true,"no":false,"none":null,
              "tags":["a",1,2.5,null,[],{"k":"v"}],"author":{"name":"Ada","links":{"site":"https://a.example/"},"empty":{}}},
             {"slug":"two","title":"Two","n":3,"big":1,"x":1e300,"pi":0.1,"ok":false,"no":true,"none":null,"tags":[],"author":{}},
             {"title":"Other shape","extra":[[1,[2,[3]]]]}]
            """), _dir),
        .. DataLoader.Load(Write("b.yaml", "- slug: y\n  title: \"Hello: world\"\n  draft: false\n  views: 12\n  ratio: 0.75\n  tags: [a, b]\n  meta:\n    nested: [1, {deep: true}]\n  empty: ~\n"), _dir),
        .. DataLoader.Load(Write("c.csv", "slug,title,body\nc1,\"Quoted, comma\",\"line one\nline two\"\nc2,Plain,\n"), _dir),
        .. DataLoader.Load(Write("d.md", "---\nslug: md\ntitle: Front matter\ntags: [x]\n---\n# Body\n\nText with ü.\n"), _dir),
    ];

    [Fact]
    public void FieldsComeBackAsTheReadersMadeThemInTheirOrder()
    {
        var store = new FieldStore(besideFile: null, memoryBudget: 1 << 20);
        var items = ItemsOfEveryReader();
        Assert.True(items.Count >= 7);
        var kept = items.Select(store.Keep).ToList();

        for (var i = 0; i < items.Count; i++)
        {
            var stored = Assert.IsType<StoredFields>(kept[i].Fields);
            Assert.Equal((items[i].SourceFile, items[i].Line, items[i].Id), (kept[i].SourceFile, kept[i].Line, kept[i].Id));
            Assert.Equal(items[i].Fields.Count, stored.Count);
            AssertSameValue(items[i].Fields, stored.Load(), items[i].Id);
            // Read through the dictionary's own members as well: each decodes anew.
            Assert.Equal(items[i].Fields.Keys, stored.Keys);
            Assert.Equal(CanonicalData.Hash(items[i].Fields), CanonicalData.Hash(stored));
            Assert.Equal(CanonicalData.FieldHashes(items[i].Fields), CanonicalData.FieldHashes(stored));
            Assert.Equal(items[i].Fields.ContainsKey("title"), stored.ContainsKey("title"));
            Assert.False(stored.TryGetValue("no such field", out _));
            Assert.NotSame(stored.Load(), stored.Load());
        }
        Assert.Throws<KeyNotFoundException>(() => kept[0].Fields["no such field"]);
    }

    [Fact]
    public void PastItsBudgetTheStoreUsesAScratchFileBesideTheManifestAndLeavesNoName()
    {
        var manifest = Path.Combine(_dir, "manifest.json");
        var store = new FieldStore(manifest, memoryBudget: 64 * 1024);
        var items = Enumerable.Range(0, 5_000).Select(i => new DataItem("posts.json", i + 1, $"post-{i}", new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["slug"] = $"post-{i}",
            ["title"] = $"Title {i} {new string('x', i % 300)}",
            ["n"] = (long)i,
        })).ToList();

        // Kept in parallel, as the planner keeps them.
        var kept = new DataItem[items.Count];
        Parallel.For(0, items.Count, i => kept[i] = store.Keep(items[i]));

        Assert.True(store.UsesFile);
        // Nameless: unlinked once open (Windows deletes it when it is closed).
        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.GetFiles(_dir));
        }
        foreach (var i in new[] { 0, 1, 2_500, 4_999 })
        {
            AssertSameValue(items[i].Fields, ((StoredFields)kept[i].Fields).Load(), items[i].Id);
        }
        Assert.Throws<InvalidOperationException>(() => store.Keep(items[0]));
    }

    [Fact]
    public void OnASitesFirstBuildTheFileGoesWhereTheManifestWillBe()
    {
        // The first build plans before anything has made its output folder; 2,000 items fill more than one 64 KiB block.
        var site = Path.Combine(_dir, "site", "nested");
        var store = new FieldStore(Path.Combine(site, "manifest.json"), memoryBudget: 1024);
        var items = Enumerable.Range(0, 2_000).Select(i => new DataItem("posts.json", i + 1, $"p{i}", new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = new string('t', 100) + i })).ToList();

        var kept = items.Select(store.Keep).ToList();

        Assert.True(store.UsesFile);
        Assert.True(Directory.Exists(site));
        Assert.Equal(items[1_999].Fields["title"], kept[1_999].Fields["title"]);
        Assert.Equal(items[3].Fields["title"], kept[3].Fields["title"]);
    }

    public static TheoryData<string> Unencodable => ["lone surrogate", "int", "decimal", "date", "sorted map", "case-insensitive map", "array", "too deep"];

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void FieldsThatCouldNotComeBackExactlyAreKeptAsTheyAre(string kind)
    {
        object? value = kind switch
        {
            "lone surrogate" => "a\ud800b",
            "int" => 3,
            "decimal" => 1.5m,
            "date" => new DateTime(2026, 12, 5),
            "sorted map" => new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["a"] = "b" },
            "case-insensitive map" => new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["a"] = "b" },
            "array" => new object?[] { "a" },
            _ => Deep(FieldCodec.MaxDepth + 2),
        };
        var item = new DataItem("x.json", 1, "x", new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = "Fine", ["odd"] = new List<object?> { value } });

        var kept = new FieldStore(besideFile: null, memoryBudget: 1 << 20).Keep(item);

        Assert.Same(item, kept);
    }

    [Fact]
    public void NestingUpToTheLimitIsKept()
    {
        var item = new DataItem("x.json", 1, "x", new Dictionary<string, object?>(StringComparer.Ordinal) { ["deep"] = Deep(FieldCodec.MaxDepth - 1) });
        var kept = new FieldStore(besideFile: null, memoryBudget: 1 << 20).Keep(item);
        AssertSameValue(item.Fields, Assert.IsType<StoredFields>(kept.Fields).Load(), "deep");
    }

    /// <summary>Lists in maps, <paramref name="depth"/> levels.</summary>
    private static object? Deep(int depth)
    {
        object? value = "bottom";
        for (var i = 0; i < depth; i++)
        {
            value = i % 2 == 0 ? new List<object?> { value } : new Dictionary<string, object?>(StringComparer.Ordinal) { ["d"] = value };
        }
        return value;
    }

    /// <summary>Equal values of the same types, maps in the same order (a map comes back as an ordinal dictionary).</summary>
    private static void AssertSameValue(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case IReadOnlyDictionary<string, object?> map:
                var back = Assert.IsType<Dictionary<string, object?>>(actual);
                Assert.Same(StringComparer.Ordinal, back.Comparer);
                Assert.Equal(map.Keys, back.Keys);
                foreach (var (name, value) in map)
                {
                    AssertSameValue(value, back[name], $"{where}.{name}");
                }
                break;
            case IList list:
                var backList = Assert.IsType<List<object?>>(actual);
                Assert.Equal(list.Count, backList.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    AssertSameValue(list[i], backList[i], $"{where}[{i}]");
                }
                break;
            case double number:
                // Bit for bit: -0.0 stays negative.
                Assert.Equal(BitConverter.DoubleToInt64Bits(number), BitConverter.DoubleToInt64Bits(Assert.IsType<double>(actual)));
                break;
            default:
                Assert.True(Equals(expected, actual) && expected?.GetType() == actual?.GetType(), $"{where}: {expected} ({expected?.GetType()}) came back as {actual} ({actual?.GetType()})");
                break;
        }
    }
}
