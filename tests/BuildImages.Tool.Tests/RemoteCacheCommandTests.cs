using BuildImages.TestSupport;

namespace BuildImages.Tool.Tests;

/// <summary>The build command's remote cache and shard flags: mistakes are usage errors; a cache that is down costs one warning.</summary>
public sealed class RemoteCacheCommandTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public RemoteCacheCommandTests() => Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);

    public void Dispose() => _tool.Dispose();

    [Theory]
    [InlineData("a shard is k/n with 1 ≤ k ≤ n ≤ 10000", "--shard", "5/4")]
    [InlineData("a shard is k/n with 1 ≤ k ≤ n ≤ 10000", "--shard", "two")]
    [InlineData("--require-cached needs a remote cache", "--require-cached")]
    [InlineData("--cache-read-only needs a remote cache", "--cache-read-only")]
    [InlineData("--cache must be an http(s) URL, s3://bucket/prefix or azblob://container/prefix, without credentials", "--cache", "ftp://cache.example/")]
    [InlineData("--cache must be an http(s) URL, s3://bucket/prefix or azblob://container/prefix, without credentials", "--cache", "https://user:secret@cache.example/")]
    [InlineData("--cache must be an http(s) URL, s3://bucket/prefix or azblob://container/prefix, without credentials", "--cache", "s3://Bad_Bucket/")]
    [InlineData("an azblob:// cache needs AZURE_STORAGE_CONNECTION_STRING", "--cache", "azblob://cards/site")]
    public void AFlagThatCannotBeUsedIsAUsageErrorAndNothingIsWritten(string expected, params string[] flags)
    {
        var run = _tool.Run(["build", .. flags]);

        Assert.Equal(2, run.Exit);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_tool.PathOf("wwwroot/og")), "nothing is rendered");
    }

    [Fact]
    public void TheConfigurationsCacheIsUsedWhenNoFlagOrVariableNamesOne()
    {
        var file = _tool.PathOf("buildimages.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        config["cache"] = System.Text.Json.Nodes.JsonNode.Parse($$"""{ "url": "http://127.0.0.1:{{LocalServer.FreePort()}}/cache", "readOnly": true }""");
        File.WriteAllText(file, config.ToJsonString());

        var run = _tool.Run("build");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("remote cache: 0 fetched", run.Out, StringComparison.Ordinal);
        Assert.Single(run.Err.Split('\n'), l => l.Contains("warning BI0037", StringComparison.Ordinal));
    }

    [Fact]
    public void ACacheNobodyAnswersAtCostsOneWarningAndTheBuildSucceeds()
    {
        var run = _tool.Run("build", "--cache", $"http://127.0.0.1:{LocalServer.FreePort()}/cache");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Single(run.Err.Split('\n'), l => l.Contains("warning BI0037", StringComparison.Ordinal));
        Assert.Contains("remote cache: 0 fetched", run.Out, StringComparison.Ordinal);
        Assert.Contains("turned off after failed requests", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_tool.PathOf("wwwroot/og/kafka-road.webp")));
    }
}
