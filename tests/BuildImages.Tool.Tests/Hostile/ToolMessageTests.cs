namespace BuildImages.Tool.Tests.Hostile;

/// <summary>What the tool prints: nothing raw from data, and a dry run that says what it would do.</summary>
public sealed class ToolMessageTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public void ADryRunSaysWouldRenderAndWritesNothing()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);

        var dry = _tool.Run("build", "--dry-run");

        Assert.Equal(0, dry.Exit);
        var lines = dry.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("would render og/kafka-road.webp 1200x630", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("rendered ", StringComparison.Ordinal) || l.Contains("KiB", StringComparison.Ordinal));
        Assert.StartsWith("would render 12,", dry.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_tool.PathOf("wwwroot/og")));
    }

    [Fact]
    public void ASlugWithNulAndNewlineIsPrintedEscapedOnOneLine()
    {
        File.WriteAllText(_tool.PathOf("items.json"), """[ { "slug": "bad\u0000slug\nnext", "title": "x", "logo": "missing.png" } ]""");
        File.WriteAllText(_tool.PathOf("buildimages.json"), """
            { "outputDir": "out", "jobs": [ { "name": "cards", "template": "blog-post", "data": "items.json", "output": "og/{{ slug }}", "variants": [ { "format": "png", "width": 300 } ] } ] }
            """);

        var run = _tool.Run("build");

        Assert.Equal(1, run.Exit);
        Assert.DoesNotContain('\0', run.Err);
        var error = Assert.Single(run.Err.Split('\n'), l => l.Contains("error BI", StringComparison.Ordinal));
        Assert.Contains(@"cards/bad\u0000slug\nnext", error, StringComparison.Ordinal);
    }
}
