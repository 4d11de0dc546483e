using System.Text;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>
/// Text files that are not UTF-8 (a spreadsheet's Windows-1252 CSV, a damaged file) fail at the first bad byte's line
/// and column, naming the file; before, a JSON string with such bytes threw out of the whole build, and other readers
/// drew U+FFFD where the letters were.
/// </summary>
public sealed class NotUtf8Tests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    [Theory]
    [InlineData("items.json", "[\n  { \"slug\": \"a\", \"title\": \"fine\" },\n  { \"slug\": \"b\", \"title\": \"Caf\u00e9\" }\n]", 3, 31)]
    [InlineData("items.csv", "slug,title\na,fine\nb,Caf\u00e9 au lait\n", 3, 6)]
    [InlineData("items.yaml", "- slug: a\n  title: fine\n- slug: b\n  title: Caf\u00e9\n", 4, 13)]
    public void ADataFileInAnotherEncodingFailsThatFileAtTheByteAndTheRestRender(string name, string text, int line, int column)
    {
        _site.Write(name, Latin1(text));
        _site.Config["jobs"]![0]!["data"] = name;
        _site.Write("buildimages.json", _site.Config.ToJsonString());

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal(("BI0010", Path.Combine(_site.Root, name), line, column), (error.Code, error.File, error.Line, error.Column));
        Assert.Contains("not UTF-8 text: byte 0xE9", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes/note-1.png"], BuildFixture.Rendered(report));
    }

    [Fact]
    public void ATemplateInAnotherEncodingFailsItsCardsAtTheByte()
    {
        _site.Write("tpl/plain/card.sbn", Latin1("""<card width="{{ card.width }}" height="{{ card.height }}" background="#fff" color="#000">""" + "\n" + """<text x="10" y="10" font-size="20">Caf""" + "\u00e9" + """ {{ title }}</text></card>"""));

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal(("BI0100", Path.Combine(_site.Root, "tpl", "plain", "card.sbn"), 2, 39), (error.Code, error.File, error.Line, error.Column));
        Assert.NotEmpty(BuildFixture.Rendered(report));
    }

    [Theory]
    [InlineData("{ \"sizes\": [\"200x100\"], \"description\": \"Caf\u00e9\" }", "not UTF-8 text", 1, 44)]
    [InlineData("{ \"sizes\": [\"200x100\"],\n  \"description\": \"\\ud800\" }", "lone UTF-16 surrogate", 2, 18)]
    [InlineData("{ \"sizes\": [\"200x100\"],\n  \"fields\": { \"title\": { \"description\": 5 } } }", "the description of field 'title' is 5, not a string", 2, 41)]
    public void ABadTemplateJsonIsBI0100AtItsPlaceNotACrash(string json, string words, int line, int column)
    {
        _site.Write("tpl/plain/template.json", Latin1(json));

        // A template's metadata is read when its job is planned: the build stops there, as for any other mistake in it.
        var error = Assert.Throws<TemplateException>(() => _site.Build()).Diagnostic;

        Assert.Equal(("BI0100", Path.Combine(_site.Root, "tpl", "plain", "template.json"), line, column), (error.Code, error.File, error.Line, error.Column));
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfigurationInAnotherEncodingIsBI0001AtTheByte()
    {
        var text = _site.Config.ToJsonString().Replace("\"https://example.com/\"", "\"https://example.com/\",\n  \"tags\": { \"site_name\": \"Caf\u00e9\" }", StringComparison.Ordinal);
        _site.Write("buildimages.json", Latin1(text));

        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(_site.ConfigFile));

        Assert.Equal(("BI0001", _site.ConfigFile, 2), (ex.Diagnostic.Code, ex.Diagnostic.File, ex.Diagnostic.Line));
        Assert.Contains("byte 0xE9", ex.Diagnostic.Message, StringComparison.Ordinal);
    }
}
