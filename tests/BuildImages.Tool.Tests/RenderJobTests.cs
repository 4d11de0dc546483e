namespace BuildImages.Tool.Tests;

/// <summary>render picks its job as a new user expects: the only job, or the one whose template matches; a mismatch says what differs.</summary>
public sealed class RenderJobTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public void RenderWithTheBuiltInTemplateNameInAnInitFolderUsesItsOnlyJob()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);

        var run = _tool.Run("""{ "slug": "hook", "title": "From a hook" }""", false, "render", "--template", "blog-post", "--data", "-");

        Assert.Equal(0, run.Exit);
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/hook.webp")), run.Err);
    }

    [Fact]
    public void ATemplateNoJobUsesSaysWhatEachJobUses()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);

        var run = _tool.Run("""{ "slug": "p", "name": "x", "price": 1 }""", false, "render", "--template", "product-card", "--data", "-");

        Assert.Equal(2, run.Exit);
        Assert.Contains("--template 'product-card' is not the template of any job", run.Err, StringComparison.Ordinal);
        Assert.Contains("templates/blog-post", run.Err, StringComparison.Ordinal);
    }
}
