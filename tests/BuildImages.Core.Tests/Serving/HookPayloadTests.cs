using System.Text.Json.Nodes;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Serving;

namespace BuildImages.Core.Tests.Serving;

/// <summary>CMS-shaped hook bodies become items through the configuration's 'hooks' mapping.</summary>
public sealed class HookPayloadTests : IDisposable
{
    private readonly BuildFixture _site = new();

    private static IReadOnlyList<Data.DataItem> Parse(string body, HookMapping? mapping = null) =>
        HookPayload.Read("cards", System.Text.Encoding.UTF8.GetBytes(body), mapping ?? HookMapping.None, _ => null).Items;

    [Fact]
    public void AContentfulEntryIsMappedFieldByFieldFromItsLocales()
    {
        _site.Config["hooks"] = JsonNode.Parse("""{ "cards": { "fields": { "slug": "fields.slug.en-US", "title": "fields.title.en-US" } } }""");
        _site.Save();
        var config = ConfigLoader.Load(_site.ConfigFile);
        var items = Parse("""
            { "sys": { "id": "5KsDBWseXY6QegucYAoacS", "type": "Entry" },
              "fields": { "slug": { "en-US": "hello-world" }, "title": { "en-US": "Hello, world" }, "body": { "en-US": "…" } } }
            """, config.Hooks["cards"]);
        var item = Assert.Single(items);
        Assert.Equal("hello-world", item.Id);
        Assert.Equal(["slug", "title"], item.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Hello, world", item.Fields["title"]);
    }

    [Fact]
    public void AStrapiStyleBodyFindsItsItemUnderTheItemsPathAndAnArrayGivesEach()
    {
        var strapi = Parse("""{ "event": "entry.publish", "model": "post", "entry": { "id": 7, "slug": "seven", "title": "Seven" } }""", new HookMapping("entry", new Dictionary<string, string>()));
        Assert.Equal("seven", Assert.Single(strapi).Id);
        var many = Parse("""[{ "slug": "a", "title": "A" }, { "slug": "b", "title": "B" }]""");
        Assert.Equal(["a", "b"], many.Select(i => i.Id));
    }

    [Theory]
    [InlineData("""{ "title": "no slug" }""", "no 'slug'")]
    [InlineData("""[1, 2]""", "item 1 is not an object")]
    [InlineData("""{ "slug": "x", }""", "invalid JSON")]
    [InlineData("\"just a string\"", "must be an item")]
    public void ABodyThatIsNotItemsIsALocatedError(string body, string expected)
    {
        var ex = Assert.ThrowsAny<BuildInputException>(() => Parse(body));
        Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
        Assert.Contains(expected, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABodyThatIsNotUTF8IsLocatedAtItsBadByteAndALoneSurrogateEscapeIsNamedAsSuch()
    {
        var bytes = "{ \"slug\": \"a\",\n  \"title\": \"caf"u8.ToArray().Concat(new byte[] { 0xE9 }).Concat("\" }"u8.ToArray()).ToArray();

        var bad = Assert.ThrowsAny<BuildInputException>(() => HookPayload.Read("cards", bytes, HookMapping.None, _ => null));
        var surrogate = Assert.ThrowsAny<BuildInputException>(() => Parse("""{ "slug": "a", "title": "\ud800" }"""));

        Assert.Equal("BI0010", bad.Diagnostic.Code);
        Assert.Contains("not valid UTF-8 (byte 0xE9", bad.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((2, 16), (bad.Diagnostic.Line, bad.Diagnostic.Column));
        Assert.Contains("lone surrogate", surrogate.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeeplyNestedBodyIsRefusedWithItsPositionNotAStackOverflow()
    {
        var ex = Assert.ThrowsAny<BuildInputException>(() => Parse(new string('[', 5000) + new string(']', 5000)));
        Assert.Contains("depth", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Diagnostic.Line);
        Assert.True(ex.Diagnostic.Column > HookPayload.MaxDepth);
    }

    [Fact]
    public void AHooksMappingForAJobThatDoesNotExistIsAConfigErrorAtItsName()
    {
        _site.Config["hooks"] = JsonNode.Parse("""{ "nope": { "fields": { "slug": "x" } } }""");
        _site.Save();
        var ex = Assert.ThrowsAny<BuildInputException>(() => ConfigLoader.Load(_site.ConfigFile));
        Assert.Contains("'hooks' names no job 'nope'", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(ex.Diagnostic.Line > 0);
    }

    private HookMapping Mapping(string json)
    {
        _site.Config["hooks"] = JsonNode.Parse($$"""{ "cards": {{json}} }""");
        _site.Save();
        return ConfigLoader.Load(_site.ConfigFile).Hooks["cards"];
    }

    private static HookMessage Read(string body, HookMapping mapping, params (string Name, string Value)[] headers) =>
        HookPayload.Read("cards", System.Text.Encoding.UTF8.GetBytes(body), mapping,
            name => headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault());

    [Fact]
    public void AContentfulTombstoneIsAnUnpublishOfItsSysIdAndASaveIsIgnored()
    {
        var mapping = Mapping("""{ "cms": "contentful", "fields": { "slug": "fields.slug.en-US", "title": "fields.title.en-US" } }""");
        var entry = """{ "sys": { "type": "Entry", "id": "5Ks" }, "fields": { "slug": { "en-US": "hello" }, "title": { "en-US": "Hello" } } }""";

        var publish = Read(entry, mapping, ("X-Contentful-Topic", "ContentManagement.Entry.publish"));
        var tombstone = Read("""{ "sys": { "type": "DeletedEntry", "id": "5Ks" } }""", mapping, ("X-Contentful-Topic", "ContentManagement.Entry.unpublish"));
        var save = Read(entry, mapping, ("X-Contentful-Topic", "ContentManagement.Entry.save"));
        var missing = Assert.ThrowsAny<BuildInputException>(() => Read(entry, mapping));

        Assert.Equal((HookAction.Publish, "5Ks", "hello"), (publish.Action, Assert.Single(publish.Items).Id, publish.Items[0].Fields["slug"]));
        Assert.Equal((HookAction.Unpublish, "5Ks"), (tombstone.Action, Assert.Single(tombstone.Items).Id));
        Assert.Equal(HookAction.Ignore, save.Action);
        Assert.Empty(save.Items);
        Assert.Contains("no 'X-Contentful-Topic' header", missing.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventInTheBodyAndIdsFromAlternativesAHeaderOrANumber()
    {
        var strapi = Mapping("""{ "cms": "strapi" }""");
        var v4 = Read("""{ "event": "entry.unpublish", "entry": { "id": 7 } }""", strapi);
        var v5 = Read("""{ "event": "entry.delete", "entry": { "id": 7, "documentId": "abc" } }""", strapi);
        var sanity = Mapping("""{ "cms": "sanity" }""");
        var empty = Read("", sanity, ("sanity-operation", "delete"), ("sanity-document-id", "doc-1"));
        var custom = Mapping("""{ "event": "body:action", "publish": ["go"], "unpublish": ["stop"], "id": "meta.key" }""");
        var noId = Assert.ThrowsAny<BuildInputException>(() => Read("""{ "action": "stop", "meta": {} }""", custom));

        Assert.Equal((HookAction.Unpublish, "7"), (v4.Action, v4.Items[0].Id));
        Assert.Equal("abc", v5.Items[0].Id);
        Assert.Equal((HookAction.Unpublish, "doc-1"), (empty.Action, empty.Items[0].Id));
        Assert.Equal(HookAction.Ignore, Read("""{ "action": "wait", "slug": "x" }""", custom).Action);
        Assert.Contains("no id at 'meta.key'", noId.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "cms": "drupal" }""", "'drupal'")]
    [InlineData("""{ "event": "topic" }""", "\"header:NAME\" or \"body:dotted.path\"")]
    [InlineData("""{ "secret": "s3cr3t" }""", "never goes in the configuration")]
    [InlineData("""{ "signature": "contentfull" }""", "contentful")]
    public void AHookMappingMistakeIsALocatedConfigError(string json, string expected)
    {
        _site.Config["hooks"] = JsonNode.Parse($$"""{ "cards": {{json}} }""");
        _site.Save();
        var ex = Assert.ThrowsAny<BuildInputException>(() => ConfigLoader.Load(_site.ConfigFile));
        Assert.Contains(expected, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(ex.Diagnostic.Line > 0, ex.Diagnostic.ToString());
    }

    public void Dispose() => _site.Dispose();
}
