using System.Text.Json.Nodes;
using BuildImages.Core.Configuration;

namespace BuildImages.Tool.Tests.Hostile;

/// <summary>preview --watch reacts to inputs, never to what a build (or the preview) writes.</summary>
public sealed class PreviewWatchTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public void ABuildDoesNotChangeTheWatchedStampButATemplateEditDoes()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);
        // The whole project folder as an asset root: outputs, manifest and images.json all live below a watched folder.
        var configFile = _tool.PathOf("buildimages.json");
        var json = JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        json["assets"] = new JsonArray(".", "content/assets");
        File.WriteAllText(configFile, json.ToJsonString());
        var config = ConfigLoader.Load(configFile);
        var preview = _tool.PathOf(".buildimages/preview");
        var before = WatchedInputs.Stamp(config, preview);

        Assert.Equal(0, _tool.Run("build").Exit);
        Assert.Equal(0, _tool.Run("preview").Exit);
        File.WriteAllBytes(_tool.PathOf("wwwroot/og/.kafka-road.webp.1.0badf00d.bi-tmp"), [1]);

        Assert.Equal(before, WatchedInputs.Stamp(config, preview));

        File.AppendAllText(_tool.PathOf("templates/blog-post/card.sbn"), "\n");
        Assert.NotEqual(before, WatchedInputs.Stamp(config, preview));
    }
}
