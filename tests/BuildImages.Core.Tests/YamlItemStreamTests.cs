using System.Text;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// A YAML data file whose root is a sequence is read an item at a time and handed on in blocks: it gives what the
/// whole-file reader gives (items, ids, lines, fields) or fails with its error (code, message, line, column); files it
/// cannot stream (aliases, an items path, another root, a syntax error) are read whole.
/// </summary>
public sealed class YamlItemStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-yaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, byte[]> Files() => new()
    {
        { "plain", Encoding.UTF8.GetBytes("- slug: a\n  title: A\n- slug: b\n  title: B\n- title: no slug\n") },
        { "bom, crlf, comments", Encoding.UTF8.GetBytes("\uFEFF# posts\r\n- slug: a\r\n  n: 3\r\n\r\n# between\r\n- slug: b\r\n  tags: [x, y]\r\n") },
        { "typed values", Encoding.UTF8.GetBytes("- slug: a\n  n: 12\n  price: 2.5\n  on: true\n  none: null\n  quoted: \"12\"\n  date: 2026-12-06\n") },
        { "nested and flow", Encoding.UTF8.GetBytes("[{slug: a, meta: {k: [1, 2, {deep: yes}]}}, {slug: b}]\n") },
        { "multi-byte text", Encoding.UTF8.GetBytes("- slug: ü\n  title: Grüße 😀 日本語\n- slug: ø\n  title: \"— ‘quotes’ — \\u00e9\"\n") },
        { "block scalars", Encoding.UTF8.GetBytes("- slug: a\n  body: |\n    line one\n    line two\n- slug: b\n  body: >\n    folded\n    text\n") },
        { "stars that are no alias", Encoding.UTF8.GetBytes("- slug: a\n  title: 5 * 3 = 15, a*b\n- slug: b\n  note: \"*quoted*\"\n") },
        { "an alias to an earlier item", Encoding.UTF8.GetBytes("- slug: a\n  author: &ada Ada\n- slug: b\n  author: *ada\n") },
        { "a merge key", Encoding.UTF8.GetBytes("- &base\n  site: Blog\n  slug: a\n- <<: *base\n  slug: b\n") },
        { "a second document", Encoding.UTF8.GetBytes("- slug: a\n---\n- slug: b\n") },
        { "a bad second document", Encoding.UTF8.GetBytes("- slug: a\n---\n- slug: b\n  bad: [\n") },
        { "explicit document", Encoding.UTF8.GetBytes("---\n- slug: a\n...\n") },
        { "empty sequence", Encoding.UTF8.GetBytes("[]\n") },
        { "empty", [] },
        { "only a comment", Encoding.UTF8.GetBytes("# nothing\n") },
        { "a root mapping", Encoding.UTF8.GetBytes("posts:\n  - slug: a\n") },
        { "a root scalar", Encoding.UTF8.GetBytes("just text\n") },
        { "syntax error late", Encoding.UTF8.GetBytes("- slug: a\n- slug: b\n- slug: [c\n") },
        { "bad indentation late", Encoding.UTF8.GetBytes("- slug: a\n- slug: b\n   title: c\n") },
        { "not an object", Encoding.UTF8.GetBytes("- slug: a\n- just text\n- slug: c\n") },
        { "a null item", Encoding.UTF8.GetBytes("- slug: a\n-\n- slug: c\n") },
        { "a key twice", Encoding.UTF8.GetBytes("- slug: a\n  slug: b\n") },
        { "a lone surrogate", Encoding.UTF8.GetBytes("- slug: a\n- slug: b\n  title: \"bad \\ud800 here\"\n") },
        { "not utf-8 late", [.. "- slug: a\n  title: fine\n- slug: b\n  title: Caf"u8, 0xE9, .. "\n"u8] },
        { "a character cut off at the end", [.. "- slug: a\n  title: x"u8, 0xE2, 0x82] },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadItemByItemItGivesWhatTheWholeFileReaderGivesOrFailsAsItDoes(string what, byte[] bytes)
    {
        var file = Path.Combine(_dir, "items.yaml");
        File.WriteAllBytes(file, bytes);
        var (expected, error) = Whole(file, itemsPath: null);
        foreach (var blockItems in new[] { 1, 2, 4096 })
        {
            var taken = new List<DataItem>();
            // (A file read whole comes in one block; the blocks of a streamed one are counted below.)
            var thrown = Record.Exception(() => YamlItemStream.Read(file, null, taken.AddRange, blockItems));
            var label = $"{what}: {blockItems} items a block";
            if (error is not null)
            {
                var diagnostic = Assert.IsType<BuildInputException>(thrown, exactMatch: false).Diagnostic;
                Assert.True(error == diagnostic, $"{label}: {diagnostic} is not {error}");
                continue;
            }
            Assert.True(thrown is null, $"{label}: {thrown}");
            Assert.Equal(expected!.Select(Describe), taken.Select(Describe));
        }
    }

    [Fact]
    public void AnItemsPathIsReadWholeAsBefore()
    {
        var file = Path.Combine(_dir, "site.yaml");
        File.WriteAllText(file, "title: Site\ndata:\n  posts:\n    - slug: a\n    - slug: b\n");
        var taken = new List<DataItem>();
        YamlItemStream.Read(file, "data.posts", taken.AddRange, blockItems: 1);
        Assert.Equal([("a", 4), ("b", 5)], taken.Select(i => (i.Id, i.Line)));
    }

    [Fact]
    public void AFileOfMoreValuesThanAWholeReadAllowsStreamsInBlocksWithItsLines()
    {
        // 150,000 items of eight values: 1.2 million values, past the million a file read whole may expand to; without
        // aliases nothing expands, and the stream reads it.
        var text = new StringBuilder();
        for (var i = 0; i < 150_000; i++)
        {
            text.Append(FormattableString.Invariant($"- slug: p-{i}\n  title: Post {i}\n  n: {i}\n  tags: [a, b]\n"));
        }
        var file = Path.Combine(_dir, "big.yaml");
        File.WriteAllText(file, text.ToString());
        Assert.Contains("more than 1,000,000 values", Whole(file, null).Error?.Message, StringComparison.Ordinal);

        var blocks = new List<int>();
        var seen = 0;
        YamlItemStream.Read(file, null, b =>
        {
            blocks.Add(b.Count);
            foreach (var item in b)
            {
                Assert.Equal((FormattableString.Invariant($"p-{seen}"), 1 + (4 * seen), (long)seen), (item.Id, item.Line, item.Fields["n"]));
                seen++;
            }
        });
        Assert.Equal(150_000, seen);
        Assert.Equal((150_000 + 4095) / 4096, blocks.Count);
        Assert.All(blocks.SkipLast(1), count => Assert.Equal(4096, count));
    }

    [Theory]
    [InlineData("Post {0}")]
    [InlineData("Post {0}, 5 * 3 stars")]
    public void AFileWithOrWithoutAStarThatIsNoAliasComesInBlocks(string title)
    {
        // Without a '*' the file is parsed once; with one, first checked for aliases: either way it streams.
        var text = new StringBuilder();
        for (var i = 0; i < 5_000; i++)
        {
            text.Append(FormattableString.Invariant($"- slug: p-{i}\n  title: {string.Format(System.Globalization.CultureInfo.InvariantCulture, title, i)}\n"));
        }
        var file = Path.Combine(_dir, "stars.yaml");
        File.WriteAllText(file, text.ToString());
        var blocks = new List<int>();
        YamlItemStream.Read(file, null, b => blocks.Add(b.Count));
        Assert.Equal([4096, 904], blocks);
    }

    [Fact]
    public void WhatTheTakerThrowsIsItsOwnNotTheFilesError()
    {
        var file = Path.Combine(_dir, "fine.yaml");
        File.WriteAllText(file, "- slug: a\n- slug: b\n- slug: c\n");
        var thrown = BuildInputException.Error(DiagnosticCodes.FieldTooLarge, "the taker's own error", file);

        var caught = Assert.Throws<DataException>(() => YamlItemStream.Read(file, null, _ => throw thrown, blockItems: 2));

        Assert.Same(thrown, caught);
    }

    [Fact]
    public void AYamlFileThatFailsAfterSomeBlocksWereTakenIsDroppedWholeAndTheOtherFilesKeepTheirItems()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "- slug: a1\n- slug: a2\n");
        var late = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            late.Append(FormattableString.Invariant($"- slug: b{i}\n"));
        }
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), late.Append("- just text\n").ToString());
        File.WriteAllText(Path.Combine(_dir, "c.yaml"), "- slug: c1\n");

        var loaded = DataLoader.LoadEach("*.yaml", _dir);

        Assert.Equal(["a1", "a2", "c1"], loaded.Items.Select(i => i.Id));
        var failure = Assert.Single(loaded.Failures);
        Assert.EndsWith("b.yaml", failure.File, StringComparison.Ordinal);
        Assert.Equal((DiagnosticCodes.DataSyntax, 10_001), (failure.Error.Code, failure.Error.Line));
        Assert.Contains("item 10001 is not an object", failure.Error.Message, StringComparison.Ordinal);
    }

    private static (List<DataItem>? Items, Diagnostic? Error) Whole(string file, string? itemsPath)
    {
        try
        {
            return (YamlItemReader.Read(file, BuildImages.Core.Primitives.Utf8Text.Read(file, DiagnosticCodes.DataSyntax), itemsPath), null);
        }
        catch (BuildInputException ex)
        {
            return (null, ex.Diagnostic);
        }
    }

    private static string Describe(DataItem item) =>
        $"{item.Id}@{item.Line}: " + System.Text.Json.JsonSerializer.Serialize(item.Fields);
}
