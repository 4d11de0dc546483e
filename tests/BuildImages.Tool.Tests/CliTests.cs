using System.Text.Json;

namespace BuildImages.Tool.Tests;

/// <summary>The tool's commands in-process: exit codes, output modes, render from stdin, init, templates.</summary>
public sealed class CliTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    private void Init() => Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);

    [Fact]
    public void InitThenBuildWritesCardsAndASecondBuildRendersNothing()
    {
        Init();
        Assert.True(File.Exists(_tool.PathOf("templates/blog-post/card.sbn")));
        var first = _tool.Run("build");
        Assert.Equal(0, first.Exit);
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/kafka-road.webp")));
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/kafka-road-600.webp")));
        Assert.True(File.Exists(_tool.PathOf("wwwroot/images.json")));
        var second = _tool.Run();
        Assert.Equal(0, second.Exit);
        Assert.StartsWith("rendered 0, skipped 12,", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ExitCodesSayWhatHappened()
    {
        Assert.Equal(2, _tool.Run("build").Exit);
        var missing = _tool.Run("build");
        Assert.Contains("error BI0005", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, _tool.Run("build", "--no-such-option").Exit);

        Init();
        File.WriteAllText(_tool.PathOf("broken.json"), "{ \"jobs\": [ { \"name\": \"x\", \"fromat\": 1 } ] }");
        var bad = _tool.Run("build", "--config", "broken.json");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("broken.json(1,28): error BI0004: unknown property 'fromat'", bad.Err, StringComparison.Ordinal);

        var posts = _tool.PathOf("content/posts.json");
        var text = File.ReadAllText(posts);
        var first = text.IndexOf("\"logo.svg\"", StringComparison.Ordinal);
        File.WriteAllText(posts, text[..first] + "\"missing.png\"" + text[(first + "\"logo.svg\"".Length)..]);
        var failed = _tool.Run("build");
        Assert.Equal(1, failed.Exit);
        Assert.Contains("error BI0300", failed.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/short.webp")), "items without the missing logo are still written");

        // A malformed data file fails its job's items (exit 1, located), not the build; its cards stay.
        File.WriteAllText(posts, "[ { \"slug\": \"a\",\n  \"title\" } ]");
        var malformed = _tool.Run("build");
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("posts.json(2,", malformed.Err, StringComparison.Ordinal);
        Assert.Contains("error BI0010", malformed.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/short.webp")), "a malformed data file's earlier cards are not pruned");
    }

    [Fact]
    public void TheJsonReportHasTheFieldsTheIssueNames()
    {
        Init();
        var run = _tool.Run("build", "--report", "out/report.json");
        Assert.Equal(0, run.Exit);
        using var report = JsonDocument.Parse(File.ReadAllText(_tool.PathOf("out/report.json")));
        var root = report.RootElement;
        Assert.Equal(12, root.GetProperty("rendered").GetInt32());
        foreach (var count in new[] { "skipped", "deduplicated", "pruned", "failed" })
        {
            Assert.Equal(0, root.GetProperty(count).GetInt32());
        }
        Assert.True(root.GetProperty("bytesWritten").GetInt64() > 0);
        Assert.True(root.GetProperty("stages").GetProperty("encode").GetDouble() > 0);
        Assert.Equal(12, root.GetProperty("cost").GetProperty("outputs").GetInt32());
        var outputs = root.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(12, outputs.Count);
        var card = outputs.Single(o => o.GetProperty("path").GetString() == "og/kafka-road-600.webp");
        Assert.Equal(600, card.GetProperty("width").GetInt32());
        Assert.Equal("image/webp", card.GetProperty("format").GetString());
        Assert.Equal(new FileInfo(_tool.PathOf("wwwroot/og/kafka-road-600.webp")).Length, card.GetProperty("bytes").GetInt64());
        Assert.Equal(64, card.GetProperty("key").GetString()!.Length);
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public void PlainOutputHasNoControlCharactersAndATerminalGetsAProgressLine()
    {
        Init();
        var plain = _tool.Run(string.Empty, false, "build", "--explain");
        Assert.Equal(0, plain.Exit);
        Assert.DoesNotContain(plain.Err + plain.Out, c => char.IsControl(c) && c is not '\n');
        Assert.Contains("rendered og/kafka-road.webp 1200x630", plain.Err, StringComparison.Ordinal);
        Assert.Contains("(new item)", plain.Err, StringComparison.Ordinal);

        var terminal = _tool.Run(string.Empty, true, "build", "--force");
        Assert.Equal(0, terminal.Exit);
        Assert.Contains('\r', terminal.Err);
        Assert.Contains("skipped 0", terminal.Err, StringComparison.Ordinal);

        var quiet = _tool.Run(string.Empty, false, "build", "--quiet");
        Assert.Equal((0, string.Empty, string.Empty), quiet);
    }

    [Fact]
    public void RenderReadsJsonFromStdinUnderTheConfigsJobAndPrintsThePath()
    {
        Init();
        var item = """{ "slug": "from-cms", "title": "Published from the CMS", "author": "Hook" }""";
        var run = _tool.Run(item, false, "render", "--job", "blog-post", "--data", "-");
        Assert.Equal(0, run.Exit);
        using var json = JsonDocument.Parse(run.Out);
        var paths = json.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToList();
        Assert.Equal(3, paths.Count);
        Assert.Contains(_tool.PathOf("wwwroot/og/from-cms.webp"), paths);
        Assert.All(paths, p => Assert.True(File.Exists(p), p));
        Assert.Contains("from-cms", File.ReadAllText(_tool.PathOf("wwwroot/images.json")), StringComparison.Ordinal);

        var again = _tool.Run(item, false, "render", "--job", "blog-post", "--data", "-");
        using var second = JsonDocument.Parse(again.Out);
        Assert.All(second.RootElement.EnumerateArray(), e => Assert.Equal("skipped", e.GetProperty("status").GetString()));

        var broken = _tool.Run("{ \"slug\": ", false, "render", "--job", "blog-post", "--data", "-");
        Assert.Equal(2, broken.Exit);
        Assert.Contains("<stdin>(1,", broken.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderWithoutAConfigUsesTheCommandLine()
    {
        var run = _tool.Run("""[{ "slug": "a", "title": "A" }, { "title": "No slug" }]""", false, "render", "--template", "blog-post", "--data", "-", "--format", "jpeg", "--width", "600");
        Assert.Equal(0, run.Exit);
        Assert.True(File.Exists(_tool.PathOf("out/a-600.jpg")));
        Assert.True(File.Exists(_tool.PathOf("out/item-2-600.jpg")));
        Assert.Equal(2, _tool.Run("render", "--data", "-").Exit);
    }

    [Fact]
    public void TemplatesListsBuiltInsWithFieldsAndSizes()
    {
        var run = _tool.Run("templates");
        Assert.Equal(0, run.Exit);
        Assert.Contains("blog-post  (1200x630, 1080x1080)", run.Out, StringComparison.Ordinal);
        Assert.Contains("title", run.Out, StringComparison.Ordinal);
        Assert.Contains("product-card", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpIsThereForEveryCommand()
    {
        foreach (var command in new[] { "build", "render", "init", "preview", "templates" })
        {
            var run = _tool.Run(command, "--help");
            Assert.Equal(0, run.Exit);
            Assert.Contains("Example", run.Out, StringComparison.Ordinal);
        }
    }
}
