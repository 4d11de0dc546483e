using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

public sealed class DataLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-data-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return name;
    }

    [Fact]
    public void AGlobsMatchesAreInOrdinalOrderEachOnceThoughTwoBraceAlternativesMatchIt()
    {
        Write("posts/b.md", "---\ntitle: B\n---\n");
        Write("posts/a.md", "---\ntitle: A\n---\n");
        Write("posts/A.md", "---\ntitle: upper\n---\n");
        Write("posts/notes.txt", "not a post");
        var files = DataLoader.SourceFiles("posts/{*.md,a*,?.md}", _dir);
        Assert.Equal(["A.md", "a.md", "b.md"], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.True(Path.IsPathFullyQualified(f)));
    }

    [Fact]
    public void ALargeGlobsListReadsBackAsItsPathsInOrderAndItsItemsLoadInThatOrder()
    {
        // Past 4,096 matches the list is held pooled: names that share long prefixes, non-ASCII, a deeper folder, and
        // lengths that differ, so rebuilding a path from the one before is exercised.
        var names = Enumerable.Range(0, 5_000).Select(i => i % 7 == 0 ? $"posts/ünï/{i}-記事.md" : i % 11 == 0 ? $"posts/p{i}-{new string('x', i % 200)}.md" : $"posts/p{i:D5}.md").ToList();
        foreach (var name in names)
        {
            Write(name, $"---\ntitle: T{name.Length}\nslug: s-{names.IndexOf(name)}\n---\n");
        }
        var expected = names.Select(n => Path.GetFullPath(Path.Combine(_dir, n))).Order(StringComparer.Ordinal).ToList();

        var files = DataLoader.SourceFiles("posts/**/*.md", _dir);

        Assert.Equal(expected.Count, files.Count);
        Assert.Equal(expected, files);
        Assert.Equal(expected, Enumerable.Range(0, files.Count).Select(i => files[i]));
        Assert.Equal(expected[4_321], files[4_321]);
        Assert.Throws<ArgumentOutOfRangeException>(() => files[files.Count]);
        // The items are planned from it in file order, each naming its own file.
        var loaded = DataLoader.LoadEach("posts/**/*.md", _dir);
        Assert.Empty(loaded.Failures);
        Assert.Equal(expected, loaded.Items.Select(i => i.SourceFile));
    }

    [Fact]
    public void JsonArrayAndObjectWithItemsPath()
    {
        var a = DataLoader.Load(Write("a.json", """[{"slug":"one","title":"One","n":2},{"title":"Two"}]"""), _dir);
        Assert.Equal(["one", "2"], a.Select(i => i.Id));
        Assert.Equal(2L, a[0].Fields["n"]);
        var b = DataLoader.Load(Write("b.json", """{"site":"x","data":{"posts":[{"title":"P"}]}}"""), _dir, "data.posts");
        Assert.Equal("P", Assert.Single(b).Fields["title"]);
    }

    [Fact]
    public void YamlKeepsNumbersBooleansAndLists()
    {
        var items = DataLoader.Load(Write("p.yaml", "- slug: first\n  title: \"Hello: world\"\n  draft: false\n  views: 12\n  tags: [a, b]\n- title: Second\n"), _dir);
        Assert.Equal(2, items.Count);
        Assert.Equal("Hello: world", items[0].Fields["title"]);
        Assert.Equal(false, items[0].Fields["draft"]);
        Assert.Equal(12L, items[0].Fields["views"]);
        Assert.Equal(new List<object?> { "a", "b" }, items[0].Fields["tags"]);
    }

    [Fact]
    public void CsvWithQuotesCommasAndNewlines()
    {
        var items = DataLoader.Load(Write("p.csv", "slug,title,price\nmug,\"Mug, large\",12.5\nposter,\"Poster \"\"A\"\"\nline two\",8\n"), _dir);
        Assert.Equal(["mug", "poster"], items.Select(i => i.Id));
        Assert.Equal("Mug, large", items[0].Fields["title"]);
        Assert.Equal("Poster \"A\"\nline two", items[1].Fields["title"]);
        Assert.Equal("8", items[1].Fields["price"]);
    }

    [Fact]
    public void MarkdownGlobGivesFrontMatterSlugAndExcerpt()
    {
        Write("content/posts/hello-world.md", "---\ntitle: Hello World\ndate: 2026-03-04\ntags: [intro]\n---\n# Heading\n\nFirst *paragraph* with [a link](https://example.com).\n");
        Write("content/posts/sub/deep.md", "---\ntitle: Deep\nslug: custom\n---\n" + string.Concat(Enumerable.Repeat("word ", 100)));
        Write("content/posts/notes.txt", "ignored");
        var items = DataLoader.Load("content/posts/**/*.md", _dir);
        Assert.Equal(2, items.Count);
        var hello = items.Single(i => i.Id == "hello-world");
        Assert.Equal("Hello World", hello.Fields["title"]);
        Assert.Contains("First paragraph with a link.", (string)hello.Fields["excerpt"]!);
        Assert.DoesNotContain("*", (string)hello.Fields["excerpt"]!);
        var deep = items.Single(i => i.Id == "custom");
        Assert.True(((string)deep.Fields["excerpt"]!).Length <= 201);
        Assert.EndsWith("…", (string)deep.Fields["excerpt"]!);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int mode);

    [Fact]
    public async Task AMarkdownFolderReadAheadOnEveryCoreGivesEachFilesItemOrErrorInFileOrder()
    {
        // 700 posts (the files are read ahead 256 at a time), with a JSON file among them, a malformed front matter, a
        // file that is not UTF-8 and (on Linux) a pipe: each fails alone, in its turn, and every other item is there in
        // the files' order, as reading them one at a time gives.
        var names = Enumerable.Range(0, 700).Select(i => $"post-{i:D4}").ToList();
        foreach (var name in names)
        {
            Write($"content/{name}.md", $"---\ntitle: Post {name}\nviews: {name.Length}\n---\nThe body of {name}.\n");
        }
        Write("content/post-0300.json", "[{\"slug\": \"from-json\", \"title\": \"JSON among the posts\"}]");
        Write("content/post-0005.md", "---\ntitle: ok\nbroken: [\n---\nbody");
        File.WriteAllBytes(Path.Combine(_dir, "content", "post-0260.md"), [0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE, 0x0A]);
        var pipe = OperatingSystem.IsLinux() && MakeFifo(Path.Combine(_dir, "content", "post-0600-pipe.md"), 0x1A4) == 0;

        var loaded = await Task.Run(() => DataLoader.LoadEach("content/*.{md,json}", _dir)).WaitAsync(TimeSpan.FromMinutes(2));

        var failed = loaded.Failures.Select(f => Path.GetFileName(f.File)).ToList();
        Assert.Equal(pipe ? ["post-0005.md", "post-0260.md", "post-0600-pipe.md"] : ["post-0005.md", "post-0260.md"], failed);
        Assert.Equal(DiagnosticCodes.DataSyntax, loaded.Failures[0].Error.Code);
        Assert.Equal(4, loaded.Failures[0].Error.Line);
        var expected = names.Where(n => n is not "post-0005" and not "post-0260").ToList();
        expected.Insert(expected.IndexOf("post-0300"), "from-json");
        Assert.Equal(expected, loaded.Items.Select(i => i.Id));
        Assert.All(loaded.Items.Where(i => i.Id != "from-json"), i => Assert.Equal($"Post {i.Id}", i.Fields["title"]));
        Assert.All(loaded.Items.Where(i => i.Id != "from-json"), i => Assert.Equal(9L, i.Fields["views"]));
        Assert.Equal(loaded.Items.Select(i => i.SourceFile).Order(StringComparer.Ordinal), loaded.Items.Select(i => i.SourceFile));
    }

    [Theory]
    [InlineData("bad.json", "[{\"title\": \"x\",\n  \"oops\" }]", 2)]
    [InlineData("bad.yaml", "- title: ok\n- title: [unclosed\n", 3)]
    [InlineData("bad.csv", "slug,title\na,b\nc,d,e\n", 3)]
    [InlineData("bad.md", "---\ntitle: ok\nbroken: [\n---\nbody", 4)]
    public void MalformedDataNamesFileAndLine(string name, string text, int line)
    {
        Write(name, text);
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load(name, _dir));
        Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
        Assert.EndsWith(name, ex.Diagnostic.File);
        Assert.InRange(ex.Diagnostic.Line, line - 1, line);
    }

    [Theory]
    [InlineData("[{\"a\": 1},\n {\"a\": 2},\n {\"a\": 3,, }]")]
    [InlineData("[{\"a\": 1},\n {\"a\": 2}] trailing")]
    [InlineData("[{\"a\": 1},\n {\"a\": 2},\n")]
    [InlineData("[{\"a\": 1},\n \"str\",\n 3, {\"b\": [1, {\"c\": }]}]")]
    [InlineData("// comment\n[{\"a\": 1}, /* here */ {\"a\": 2}, ]\n// after\n")]
    [InlineData("[{\"a\": 1}, {\"a\": 2}]")]
    public void ARootArrayReadItemByItemFailsWhereAWholeDocumentWouldAndReadsTheSameItems(string json)
    {
        // The reference: the file parsed as one document, with the reader's options.
        (long Line, long? Column)? expected = null;
        List<string>? expectedItems = null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
            expectedItems = doc.RootElement.EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.Object ? e.GetRawText() : e.ToString()).ToList();
        }
        catch (System.Text.Json.JsonException ex)
        {
            expected = (ex.LineNumber!.Value + 1, ex.BytePositionInLine + 1);
        }
        Write("items.json", json);
        if (expected is { } where)
        {
            var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("items.json", _dir));
            Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
            Assert.Equal(where.Line, ex.Diagnostic.Line);
            Assert.Equal(where.Column, ex.Diagnostic.Column);
            return;
        }
        var items = DataLoader.Load("items.json", _dir);
        Assert.Equal(expectedItems!.Count(e => e.StartsWith('{')), items.Count);
        Assert.Equal(1L, items[0].Fields["a"]);
    }

    [Fact]
    public void ItemsOfOneShapeShareTheirFieldNamesAndReadAsDictionariesWould()
    {
        // Two alike, one with a field more, one naming a field twice (the last value wins, as in a dictionary), one in
        // another order: each reads as the same JSON parsed as a document of dictionaries.
        var json = """
            [{"slug":"a","title":"A","tags":["x",{"k":1}],"n":1.5},
             {"slug":"b","title":"B","tags":[],"n":2},
             {"slug":"c","title":"C","tags":null,"n":3,"extra":true},
             {"slug":"d","title":"D1","title":"D2","tags":[],"n":4},
             {"n":5,"tags":[],"title":"E","slug":"e"}]
            """;
        var items = DataLoader.Load(Write("shapes.json", json), _dir);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var expected = doc.RootElement.EnumerateArray().Select(e => Templates.ItemData.FromJson(e)).ToList();
        Assert.Equal(expected.Count, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(expected[i].Keys, items[i].Fields.Keys);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected[i]), System.Text.Json.JsonSerializer.Serialize(items[i].Fields));
            Assert.Equal(Planning.CanonicalData.Hash(expected[i]), Planning.CanonicalData.Hash(items[i].Fields));
        }
        Assert.Equal("D2", items[3].Fields["title"]);
        Assert.False(items[1].Fields.TryGetValue("extra", out _));
        Assert.Throws<KeyNotFoundException>(() => items[1].Fields["extra"]);
        // The first two share one list of names; a file's rows are held as values, not a dictionary each.
        Assert.Same(items[0].Fields.Keys, items[1].Fields.Keys);
        Assert.IsType<FieldRow>(items[0].Fields);

        var csv = DataLoader.Load(Write("rows.csv", "slug,title\na,A\nb,B\n"), _dir);
        Assert.Same(csv[0].Fields.Keys, csv[1].Fields.Keys);
        Assert.Equal(["slug", "title"], csv[1].Fields.Keys);
        Assert.Equal("B", csv[1].Fields["title"]);
    }

    [Fact]
    public void MissingFileAndUnknownExtensionAreClearErrors()
    {
        Assert.Equal(DiagnosticCodes.DataNotFound, Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("nope.json", _dir)).Diagnostic.Code);
        Write("x.toml", "a = 1");
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("x.toml", _dir));
        Assert.Contains(".toml", ex.Diagnostic.Message);
    }

    [Fact]
    public void YamlAliasesThatExpandPastTheLimitAreRefusedQuickly()
    {
        var lines = new List<string> { "- slug: bomb", "  l0: &l0 [x, x, x, x, x, x, x, x, x]" };
        for (var level = 1; level < 8; level++)
        {
            lines.Add($"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 9))}]");
        }
        Write("bomb.yaml", string.Join('\n', lines) + "\n");
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("bomb.yaml", _dir));
        Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
        Assert.Contains("expands to more than", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.EndsWith("bomb.yaml", ex.Diagnostic.File, StringComparison.Ordinal);

        // Aliases within the limit are ordinary YAML and still work.
        Write("small.yaml", "- slug: a\n  tags: &t [x, y]\n  again: *t\n");
        Assert.Equal(new List<object?> { "x", "y" }, DataLoader.Load("small.yaml", _dir)[0].Fields["again"]);
    }

    [Fact]
    public void EachJsonItemKnowsTheLineItStartsOn()
    {
        // A byte-order mark, CRLF, comments, an item spread over lines, one sharing its line, a trailing comma.
        Write("lines.json", "\uFEFF// posts\r\n[\r\n  { \"slug\": \"a\" },\r\n  /* skipped */\r\n  {\r\n    \"slug\": \"b\",\r\n    \"title\": \"B\"\r\n  }, { \"slug\": \"c\" },\r\n\r\n  { \"slug\": \"d\" },\r\n]\r\n");
        Assert.Equal([3, 5, 8, 10], DataLoader.Load("lines.json", _dir).Select(i => i.Line));

        // Under an items path: a decoy of the same name at another depth, and a key given twice (the last counts, as
        // for the values).
        Write("nested.json", """
            {
              "posts": [ { "slug": "decoy" } ],
              "data": {
                "meta": { "posts": [ { "slug": "decoy" } ] },
                "posts": [ { "slug": "early" } ],
                "posts": [
                  { "slug": "x" },

                  { "slug": "y" }
                ]
              }
            }
            """);
        var nested = DataLoader.Load("nested.json", _dir, "data.posts");
        Assert.Equal(["x", "y"], nested.Select(i => i.Id));
        Assert.Equal([7, 9], nested.Select(i => i.Line));

        // A whole file on one line: every item on line 1.
        Write("minified.json", """[{"slug":"p"},{"slug":"q"}]""");
        Assert.All(DataLoader.Load("minified.json", _dir), i => Assert.Equal(1, i.Line));
    }

    [Fact]
    public void EachYamlItemKnowsTheLineItStartsOn()
    {
        Write("lines.yaml", "# posts\n- slug: a\n  title: A\n\n- slug: b\n- { slug: c }\n");
        Assert.Equal([2, 5, 6], DataLoader.Load("lines.yaml", _dir).Select(i => i.Line));

        Write("nested.yaml", "site: x\nposts: [ignored]\ndata:\n  meta:\n    posts:\n      - slug: decoy\n  posts:\n    - slug: x\n      title: X\n    - slug: y\n");
        var nested = DataLoader.Load("nested.yaml", _dir, "data.posts");
        Assert.Equal(["x", "y"], nested.Select(i => i.Id));
        Assert.Equal([8, 10], nested.Select(i => i.Line));
    }

    [Fact]
    public void AnItemsErrorInJsonPointsAtItsLine()
    {
        Write("bad.json", "[\n  { \"slug\": \"fine\" },\n  \"not an object\"\n]\n");
        var ex = Assert.ThrowsAny<BuildInputException>(() => DataLoader.Load("bad.json", _dir));
        Assert.Equal(3, ex.Diagnostic.Line);
        Assert.Contains("item 2 is not an object", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
