using System.Text;
using System.Text.Json;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// A JSON data file's root array read a block at a time gives what the whole-file reader gives (items, ids, lines,
/// fields) or fails with its error (code, message, line, column), wherever the blocks cut the file: inside an item,
/// a string, a comment, a multi-byte character.
/// </summary>
public sealed class JsonItemStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, byte[]> Files() => new()
    {
        { "alike", Encoding.UTF8.GetBytes("[{\"slug\":\"a\",\"title\":\"A\"},{\"slug\":\"b\",\"title\":\"B\"},{\"title\":\"no slug\"}]") },
        { "bom, crlf, comments, trailing comma", Encoding.UTF8.GetBytes("\uFEFF// posts\r\n[\r\n  { \"slug\": \"a\" },\r\n  /* skipped */\r\n  {\r\n    \"slug\": \"b\",\r\n    \"title\": \"B\"\r\n  }, { \"slug\": \"c\" },\r\n\r\n  { \"slug\": \"d\" },\r\n]\r\n// after\r\n") },
        { "multi-byte text", Encoding.UTF8.GetBytes("[\n{\"slug\":\"ü\",\"title\":\"Grüße 😀 日本語 \\u00e9\"},\n{\"slug\":\"ø\",\"title\":\"— ‘quotes’ —\", \"tags\": [\"ä\", {\"k\": \"𝄞\"}]}\n]") },
        { "shapes and a name twice", Encoding.UTF8.GetBytes("[{\"slug\":\"a\",\"n\":1.5,\"x\":null},{\"n\":2,\"slug\":\"b\"},{\"slug\":\"c\",\"slug\":\"d\",\"b\":true}]") },
        { "empty array", Encoding.UTF8.GetBytes("[ ]") },
        { "nested deep", Encoding.UTF8.GetBytes("[{\"slug\":\"deep\",\"v\":" + new string('[', 60) + new string(']', 60) + "}]") },
        { "too deep", Encoding.UTF8.GetBytes("[{\"slug\":\"deep\",\"v\":" + new string('[', 70) + new string(']', 70) + "}]") },
        { "syntax error late", Encoding.UTF8.GetBytes("[{\"a\": 1},\n {\"a\": 2},\n {\"a\": 3,, }]") },
        { "trailing text", Encoding.UTF8.GetBytes("[{\"a\": 1},\n {\"a\": 2}] trailing") },
        { "a second root", Encoding.UTF8.GetBytes("[{\"a\": 1}]\n[{\"a\": 2}]") },
        { "unterminated", Encoding.UTF8.GetBytes("[{\"a\": 1},\n {\"a\": 2},\n") },
        { "not an object", Encoding.UTF8.GetBytes("[\n  { \"slug\": \"fine\" },\n  \"not an object\"\n]\n") },
        { "a number item", Encoding.UTF8.GetBytes("[{\"slug\":\"a\"}, 3]") },
        { "an array item", Encoding.UTF8.GetBytes("[{\"slug\":\"a\"}, [1]]") },
        { "lone surrogate", Encoding.UTF8.GetBytes("[\n  { \"slug\": \"a\", \"title\": \"fine\" },\n  { \"slug\": \"b\", \"title\": \"bad \\ud800 here\" }\n]") },
        { "lone surrogate in a name", Encoding.UTF8.GetBytes("[{\"slug\":\"a\"},{\"\\udc00\":1}]") },
        { "invalid utf-8 in a string", [.. "[{\"slug\":\"a\"},{\"title\":\"x"u8, 0xC3, 0x28, .. "\"}]"u8] },
        { "invalid utf-8 in a comment", [.. "[{\"slug\":\"a\"}, /* x"u8, 0xFF, .. " */ {\"slug\":\"b\"}]"u8] },
        { "invalid utf-8 after the array", [.. "[{\"slug\":\"a\"}] // "u8, 0xE2, 0x82] },
        { "a root object", Encoding.UTF8.GetBytes("{\"slug\":\"a\"}") },
        { "a root string", Encoding.UTF8.GetBytes("\"text\"") },
        { "empty", [] },
        { "only a comment", Encoding.UTF8.GetBytes("// nothing\n") },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadInBlocksItGivesWhatTheWholeFileReaderGivesOrFailsAsItDoes(string what, byte[] bytes)
    {
        var file = Path.Combine(_dir, "items.json");
        File.WriteAllBytes(file, bytes);
        var (expected, error) = Whole(file);
        // Blocks of bytes from one (every token and character cut) to the whole file; of items from one to many.
        foreach (var firstBlock in new[] { 1, 2, 3, 5, 8, 13, 64, 1 << 16 })
        {
            foreach (var blockItems in new[] { 1, 2, 4096 })
            {
                var taken = new List<DataItem>();
                var blocks = 0;
                var thrown = Record.Exception(() => JsonItemStream.Read(file, null, b =>
                {
                    Assert.InRange(b.Count, 1, blockItems);
                    blocks++;
                    taken.AddRange(b);
                }, blockItems, firstBlock));
                var label = $"{what}: {firstBlock}-byte blocks, {blockItems} items a block";
                if (error is not null)
                {
                    var diagnostic = Assert.IsType<BuildInputException>(thrown, exactMatch: false).Diagnostic;
                    Assert.True(error == diagnostic, $"{label}: {diagnostic} is not {error}");
                    continue;
                }
                Assert.True(thrown is null, $"{label}: {thrown}");
                Assert.Equal(expected!.Select(Describe), taken.Select(Describe));
                Assert.Equal(expected!.Count == 0 ? 0 : (expected.Count + blockItems - 1) / blockItems, blocks);
            }
        }
    }

    [Fact]
    public void AThousandItemsInSmallBlocksKeepTheirLinesIdsAndFields()
    {
        var text = new StringBuilder("[\n");
        for (var i = 0; i < 1000; i++)
        {
            // Every third without a slug (its id is its place), every fifth over two lines, some text in four-byte characters.
            var slug = i % 3 == 0 ? string.Empty : $"\"slug\": \"p-{i}\", ";
            var gap = i % 5 == 0 ? "\n  " : " ";
            text.Append(CultureInfo($"  {{ {slug}\"title\":{gap}\"Post {i} 😀\", \"n\": {i} }}{(i < 999 ? "," : string.Empty)}\n"));
        }
        text.Append("]\n");
        var file = Path.Combine(_dir, "many.json");
        File.WriteAllText(file, text.ToString());
        var taken = new List<DataItem>();
        JsonItemStream.Read(file, null, taken.AddRange, blockItems: 7, firstBlock: 100);

        Assert.Equal(1000, taken.Count);
        var line = 2;
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(line, taken[i].Line);
            line += i % 5 == 0 ? 2 : 1;
            Assert.Equal(i % 3 == 0 ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"p-{i}", taken[i].Id);
            Assert.Equal($"Post {i} 😀", taken[i].Fields["title"]);
            Assert.Equal((long)i, taken[i].Fields["n"]);
        }
        // The rows share their file's field names.
        Assert.Same(taken[1].Fields.Keys, taken[998].Fields.Keys);
    }

    [Fact]
    public void AFileThatFailsAfterSomeBlocksWereTakenIsDroppedWholeAndTheOtherFilesKeepTheirItems()
    {
        File.WriteAllText(Path.Combine(_dir, "a.json"), "[{\"slug\":\"a1\"},{\"slug\":\"a2\"}]");
        var late = new StringBuilder("[");
        for (var i = 0; i < 10_000; i++)
        {
            late.Append(CultureInfo($"{{\"slug\":\"b{i}\"}},\n"));
        }
        File.WriteAllText(Path.Combine(_dir, "b.json"), late.Append("{\"slug\": oops}]").ToString());
        File.WriteAllText(Path.Combine(_dir, "c.json"), "[{\"slug\":\"c1\"}]");

        var loaded = DataLoader.LoadEach("*.json", _dir);

        Assert.Equal(["a1", "a2", "c1"], loaded.Items.Select(i => i.Id));
        var failure = Assert.Single(loaded.Failures);
        Assert.EndsWith("b.json", failure.File, StringComparison.Ordinal);
        Assert.Equal((DiagnosticCodes.DataSyntax, 10_001), (failure.Error.Code, failure.Error.Line));
    }

    [Fact]
    public void AFileRewrittenInPlaceWhileItIsReadIsALocatedErrorNotAMixOfTwoFiles()
    {
        var file = Path.Combine(_dir, "moving.json");
        var first = string.Join(",\n", Enumerable.Range(0, 50).Select(i => CultureInfo($"{{\"slug\":\"old-{i}\",\"title\":\"Old {i}\"}}")));
        File.WriteAllText(file, "[" + first + "]");
        var taken = new List<DataItem>();
        var ex = Assert.ThrowsAny<BuildInputException>(() => JsonItemStream.Read(file, null, block =>
        {
            taken.AddRange(block);
            if (taken.Count == block.Count)
            {
                // An editor that truncates the file and writes it again, mid-read: the open stream reads on in the new text.
                File.WriteAllText(file, "[" + string.Join(",", Enumerable.Range(0, 3).Select(i => CultureInfo($"{{\"slug\":\"new-{i}\"}}"))) + "]");
            }
        }, blockItems: 10, firstBlock: 64));

        Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
        Assert.Contains("changed while it was read", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.EndsWith("moving.json", ex.Diagnostic.File, StringComparison.Ordinal);
        // The caller was given the first block only: it drops it with the file (DataLoader's sinks do).
        Assert.Equal(10, taken.Count);
    }

    [Fact]
    public void APlanDropsTheCardsAndItemProblemsOfAFileThatFailsAfterItsFirstBlocksAndHoldsItsOutputs()
    {
        using var site = new BuildFixture();
        site.Config["jobs"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "many", ["template"] = "tpl/plain", ["size"] = "200x100", ["data"] = "many/*.json", ["output"] = "many/{{ slug }}",
            ["variants"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["format"] = "png" }),
        });
        site.Save();
        // 5,000 items (two blocks and more), one with an output name Windows reserves in the first block, then a syntax error.
        var big = new StringBuilder("[\n");
        for (var i = 0; i < 5000; i++)
        {
            big.Append(CultureInfo($"{{\"slug\": \"{(i == 10 ? "CON" : $"big-{i}")}\", \"title\": \"Big {i}\"}},\n"));
        }
        site.Write("many/a-big.json", big.Append("{\"slug\": }]\n").ToString());
        site.Write("many/b-small.json", "[{\"slug\": \"s1\", \"title\": \"One\"}, {\"slug\": \"NUL\", \"title\": \"Up\"}]");
        var config = Configuration.ConfigLoader.Load(site.ConfigFile);
        var workspace = new Build.Workspace(config);

        var plan = Planning.BuildPlanner.Plan(config, workspace.Templates, workspace.Paths, ["many"], null, new FieldStore(besideFile: null, memoryBudget: 1 << 20));

        Assert.Equal(["s1"], plan.Items.Select(i => i.Item.Id));
        var errors = plan.Problems.Where(p => p.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal((DiagnosticCodes.DataSyntax, 5002), (errors[0].Code, errors[0].Line));
        Assert.EndsWith("a-big.json", errors[0].File, StringComparison.Ordinal);
        // The small file's own unsafe item is reported; the big file's, planned before the file failed, is not.
        Assert.Equal(DiagnosticCodes.UnsafeOutputPath, errors[1].Code);
        Assert.EndsWith("b-small.json", errors[1].File, StringComparison.Ordinal);
        Assert.Equal([workspace.Paths.ToKey(Path.Combine(site.Root, "many", "a-big.json"))], plan.HeldSources);
    }

    private static string CultureInfo(FormattableString text) => FormattableString.Invariant(text);

    private static (List<DataItem>? Items, Diagnostic? Error) Whole(string file)
    {
        try
        {
            return (JsonItemReader.Read(file, File.ReadAllBytes(file), itemsPath: null), null);
        }
        catch (BuildInputException ex)
        {
            return (null, ex.Diagnostic);
        }
    }

    private static string Describe(DataItem item) =>
        $"{item.Id} at {item.Line}: {JsonSerializer.Serialize(item.Fields)} ({string.Join(',', item.Fields.Keys)})";
}
