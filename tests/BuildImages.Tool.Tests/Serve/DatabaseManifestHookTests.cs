using System.Net;
using System.Text.Json.Nodes;
using BuildImages.Core.Manifest;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>The hook server on a site whose manifest is a database: publishes and deletes save their rows, cards are served from what the database records, and the database itself is never served.</summary>
public sealed class DatabaseManifestHookTests() : HookServerTestBase("db-secret"u8.ToArray(), null)
{
    private string Database => Tool.PathOf("wwwroot/.buildimages-manifest.db");

    public override async Task InitializeAsync()
    {
        Assert.Equal(0, Tool.Run("init", "--template", "blog-post").Exit);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Tool.PathOf("buildimages.json")))!.AsObject();
        config["manifest"] = "wwwroot/.buildimages-manifest.db";
        await File.WriteAllTextAsync(Tool.PathOf("buildimages.json"), config.ToJsonString());
        await Start(Options(maxBody: 4096));
    }

    private Dictionary<string, ItemRecord> Records()
    {
        var (document, warnings) = new ManifestStore(Database).Load();
        Assert.Empty(warnings);
        return document.Cards;
    }

    [Fact]
    public async Task PublishesAndDeletesSaveTheirRowsAndCardsAreServedFromThem()
    {
        var (status, _) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """[{ "slug": "keep", "title": "Keep" }, { "slug": "gone", "title": "Gone" }]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("blog-post:og/gone", Records().Keys);
        Assert.False(File.Exists(Manifest), "no JSON document beside the database");

        using (var card = await Http.GetAsync("/cards/blog-post/og/keep.webp"))
        {
            Assert.Equal(HttpStatusCode.OK, card.StatusCode);
            var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(await card.Content.ReadAsByteArrayAsync());
            Assert.Equal((1200, 630), (width, height));
        }
        using (var database = await Http.GetAsync("/cards/blog-post/.buildimages-manifest.db"))
        {
            Assert.True(database.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, database.StatusCode.ToString());
        }

        var (deleted, body) = await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/gone", ""));

        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(3, body["pruned"]!.AsArray().Count);
        var records = Records();
        Assert.DoesNotContain("blog-post:og/gone", records.Keys);
        Assert.Contains("blog-post:og/keep", records.Keys);
        using var gone = await Http.GetAsync("/cards/blog-post/og/gone.webp");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
