using BuildImages.Core.Data;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// Strings that repeat across every item (field names, template keys) are held once; the pool is bounded.
/// </summary>
public sealed class SharedStringsTests
{
    [Fact]
    public void EqualShortStringsShareOneInstanceUpToTheCapacityAndLongOnesAreLeftAlone()
    {
        var pool = new SharedStrings(capacity: 3);
        var first = pool.Share(new string("title".AsSpan()));
        Assert.Same(first, pool.Share(new string("title".AsSpan())));
        var longText = new string('x', SharedStrings.LongestShared + 1);
        Assert.Same(longText, pool.Share(longText));
        Assert.NotSame(longText, pool.Share(new string(longText.AsSpan())));
        pool.Share("a");
        pool.Share("b");
        // Full: a new string comes back as it is, equal but never shared; the ones kept are still shared.
        var late = new string("late".AsSpan());
        Assert.Same(late, pool.Share(late));
        Assert.NotSame(late, pool.Share(new string("late".AsSpan())));
        Assert.Same(first, pool.Share(new string("title".AsSpan())));
    }

    [Fact]
    public void ItemsOfADataFileShareTheirFieldNames()
    {
        var dir = Directory.CreateTempSubdirectory("bi-shared-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "items.json"), """[{ "slug": "a", "title": "A" }, { "slug": "b", "title": "B" }]""");
            File.WriteAllText(Path.Combine(dir, "items.yaml"), "- slug: c\n  title: C\n- slug: d\n  title: D\n");
            var json = DataLoader.Load("items.json", dir);
            var yaml = DataLoader.Load("items.yaml", dir);
            string Title(DataItem item) => item.Fields.Keys.Single(k => k == "title");
            Assert.Same(Title(json[0]), Title(json[1]));
            Assert.Same(Title(json[0]), Title(yaml[0]));
            Assert.Same(Title(yaml[0]), Title(yaml[1]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheItemsOfAJsonArrayOrACsvFileShareTheirRepeatedValuesAndKeepTheirOwn()
    {
        var dir = Directory.CreateTempSubdirectory("bi-shared-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "items.json"), """[{ "slug": "a", "author": "Ada", "tags": ["x"] }, { "slug": "b", "author": "Ada", "tags": ["x", "y"] }]""");
            File.WriteAllText(Path.Combine(dir, "items.csv"), "slug,author\nc,Ada\nd,Ada\ne,\n");
            var json = DataLoader.Load("items.json", dir);
            var csv = DataLoader.Load("items.csv", dir);
            Assert.Same(json[0].Fields["author"], json[1].Fields["author"]);
            Assert.Same(((List<object?>)json[0].Fields["tags"]!)[0], ((List<object?>)json[1].Fields["tags"]!)[0]);
            Assert.Equal(["a", "b"], json.Select(i => (string)i.Fields["slug"]!));
            Assert.Same(csv[0].Fields["author"], csv[1].Fields["author"]);
            Assert.Equal("Ada", csv[1].Fields["author"]);
            Assert.Equal(string.Empty, csv[2].Fields["author"]);
            Assert.Equal(["c", "d", "e"], csv.Select(i => i.Id));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
