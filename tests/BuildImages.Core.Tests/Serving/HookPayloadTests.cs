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
        HookPayload.Parse("cards", System.Text.Encoding.UTF8.GetBytes(body), mapping ?? HookMapping.None);

    [Fact]
    public void A_Contentful_entry_is_mapped_field_by_field_from_its_locales()
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
    public void A_Strapi_style_body_finds_its_item_under_the_items_path_and_an_array_gives_each()
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
    public void A_body_that_is_not_items_is_a_located_error(string body, string expected)
    {
        var ex = Assert.Throws<CardException>(() => Parse(body));
        Assert.Equal(DiagnosticCodes.DataSyntax, ex.Diagnostic.Code);
        Assert.Contains(expected, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_UTF8_is_located_at_its_bad_byte_and_a_lone_surrogate_escape_is_named_as_such()
    {
        var bytes = "{ \"slug\": \"a\",\n  \"title\": \"caf"u8.ToArray().Concat(new byte[] { 0xE9 }).Concat("\" }"u8.ToArray()).ToArray();

        var bad = Assert.Throws<CardException>(() => HookPayload.Parse("cards", bytes, HookMapping.None));
        var surrogate = Assert.Throws<CardException>(() => Parse("""{ "slug": "a", "title": "\ud800" }"""));

        Assert.Equal("BI0010", bad.Diagnostic.Code);
        Assert.Contains("not valid UTF-8 (byte 0xE9", bad.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((2, 16), (bad.Diagnostic.Line, bad.Diagnostic.Column));
        Assert.Contains("lone surrogate", surrogate.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deeply_nested_body_is_refused_with_its_position_not_a_stack_overflow()
    {
        var ex = Assert.Throws<CardException>(() => Parse(new string('[', 5000) + new string(']', 5000)));
        Assert.Contains("depth", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Diagnostic.Line);
        Assert.True(ex.Diagnostic.Column > HookPayload.MaxDepth);
    }

    [Fact]
    public void A_hooks_mapping_for_a_job_that_does_not_exist_is_a_config_error_at_its_name()
    {
        _site.Config["hooks"] = JsonNode.Parse("""{ "nope": { "fields": { "slug": "x" } } }""");
        _site.Save();
        var ex = Assert.Throws<CardException>(() => ConfigLoader.Load(_site.ConfigFile));
        Assert.Contains("'hooks' names no job 'nope'", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(ex.Diagnostic.Line > 0);
    }

    public void Dispose() => _site.Dispose();
}
