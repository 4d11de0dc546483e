using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>Each bad input gives one clear error with its code and location, and no crash.</summary>
public sealed class ErrorTests : IDisposable
{
    private const string Open = """<card width="{{ card.width }}" height="{{ card.height }}" background="#fff">""";
    private readonly TestCards _cards = new();

    private Diagnostic Fail(string template, Dictionary<string, object?>? item = null, TestCards? cards = null, TimeSpan? limit = null)
    {
        var c = cards ?? _cards;
        using var engine = c.Engine(limit);
        using var renderer = engine.CreateRenderer();
        var ex = Assert.ThrowsAny<BuildInputException>(() => renderer.Prepare(template, item ?? new() { ["title"] = "Hi" }, new CardSize(600, 300), "post-7"));
        Assert.Equal("post-7", ex.Diagnostic.Item);
        Assert.Equal(DiagnosticSeverity.Error, ex.Diagnostic.Severity);
        return ex.Diagnostic;
    }

    [Fact]
    public void TemplateSyntaxErrorNamesFileLineAndColumn()
    {
        var name = _cards.Template("syntax", Open + "\n  <text>{{title</text>\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.TemplateSyntax, d.Code);
        Assert.EndsWith(Path.Combine("syntax", "card.sbn"), d.File);
        Assert.Equal(2, d.Line);
        Assert.True(d.Column > 0);
    }

    [Fact]
    public void UnmatchedBlockIsLocatedAtTheClosingTag()
    {
        var name = _cards.Template("block", Open + "\n  {{ if title }}\n  <text>x</text>\n  {{ end }}{{ end }}\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.TemplateSyntax, d.Code);
        Assert.Equal(4, d.Line);
    }

    [Fact]
    public void UnknownElementListsTheAllowedOnesAndMapsToTheTemplateLine()
    {
        var name = _cards.Template("elem", Open + "\n  <text>{{ title }}</text>\n  <blink>no</blink>\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.UnknownElement, d.Code);
        Assert.Contains("<blink>", d.Message);
        Assert.Contains("allowed:", d.Message);
        Assert.Contains("stack", d.Message);
        Assert.EndsWith(Path.Combine("elem", "card.sbn"), d.File);
        Assert.Equal((3, 4), (d.Line, d.Column));
    }

    [Fact]
    public void UnknownAttributeInAPartialIsLocatedInThePartial()
    {
        var name = _cards.Template("attr", Open + "\n  {{ include 'title-line' }}\n</card>", ("partials/title-line.sbn", "<text\n    colour=\"#f00\">{{ title }}</text>"));
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.UnknownAttribute, d.Code);
        Assert.Contains("'colour'", d.Message);
        Assert.Contains("color", d.Message);
        Assert.EndsWith("title-line.sbn", d.File);
        Assert.Equal((2, 5), (d.Line, d.Column));
    }

    [Theory]
    [InlineData("<rect width=\"10\" height=\"10\" fill=\"blurple\"/>", "blurple")]
    [InlineData("<rect width=\"10\" height=\"10\" fill=\"#12345\"/>", "#12345")]
    [InlineData("<rect width=\"10\" height=\"10\" fill=\"rgb(1,2)\"/>", "rgb(1,2)")]
    [InlineData("<text color=\"linear-gradient(red)\">x</text>", "linear-gradient(red)")]
    public void BadColourIsALocatedError(string element, string value)
    {
        var name = _cards.Template("colour" + Math.Abs(value.GetHashCode(StringComparison.Ordinal)), Open + "\n  " + element + "\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.BadAttributeValue, d.Code);
        Assert.Contains(value, d.Message);
        Assert.Contains("colour", d.Message);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void MissingIncludeNamesThePartialAndWhereItLooked()
    {
        var name = _cards.Template("noinc", Open + "\n\n  {{ include 'footer' }}\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.MissingInclude, d.Code);
        Assert.Contains("'footer'", d.Message);
        Assert.Equal((3, 6), (d.Line, d.Column));
    }

    [Fact]
    public void IncludeOutsideTheRootsIsRefused()
    {
        File.WriteAllText(Path.Combine(_cards.Root, "secret.sbn"), "<text>secret</text>");
        var name = _cards.Template("escape", Open + "\n  {{ include '../../../secret' }}\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.PathOutsideRoots, d.Code);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void IncludeCycleIsAnErrorNotAStackOverflow()
    {
        var name = _cards.Template("cycle", Open + "{{ include 'a' }}</card>", ("partials/a.sbn", "{{ include 'b' }}"), ("partials/b.sbn", "{{ include 'a' }}"));
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.IncludeCycle, d.Code);
    }

    [Theory]
    [InlineData("../outside.png")]
    [InlineData("/etc/passwd")]
    public void ImageOutsideTheAssetRootsIsRefused(string src)
    {
        File.WriteAllBytes(Path.Combine(_cards.Root, "outside.png"), [1, 2, 3]);
        var name = _cards.Template("imgout" + Math.Abs(src.GetHashCode(StringComparison.Ordinal)), Open + "\n  <image src=\"{{ src }}\" width=\"10\" height=\"10\"/>\n</card>");
        var d = Fail(name, new() { ["src"] = src });
        Assert.Equal(DiagnosticCodes.PathOutsideRoots, d.Code);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void SymlinkOutOfTheAssetRootsIsRefused()
    {
        File.WriteAllText(Path.Combine(_cards.Root, "target.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>");
        File.CreateSymbolicLink(Path.Combine(_cards.Assets, "link.svg"), Path.Combine(_cards.Root, "target.svg"));
        var name = _cards.Template("symlink", Open + "<image src=\"link.svg\" width=\"10\" height=\"10\"/></card>");
        Assert.Equal(DiagnosticCodes.PathOutsideRoots, Fail(name).Code);
    }

    [Fact]
    public void MissingImageNamesTheReference()
    {
        var name = _cards.Template("imgmiss", Open + "\n  <image src=\"logo-nope.png\" width=\"10\" height=\"10\"/>\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.MissingImage, d.Code);
        Assert.Contains("logo-nope.png", d.Message);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void RemoteImageIsNotFetched()
    {
        var name = _cards.Template("remote", Open + "<image src=\"https://example.com/a.png\" width=\"10\" height=\"10\"/></card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.MissingImage, d.Code);
        Assert.Contains("network", d.Message);
    }

    [Theory]
    [InlineData("garbage.png", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData("truncated.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0 })]
    [InlineData("bad.svg", new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g', (byte)' ', (byte)'<', (byte)'<' })]
    public void CorruptImageIsAClearError(string file, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(_cards.Assets, file), bytes);
        var name = _cards.Template("corrupt" + Path.GetFileNameWithoutExtension(file), Open + "\n  <image src=\"" + file + "\" width=\"10\" height=\"10\"/>\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.CorruptImage, d.Code);
        Assert.Contains(file, d.Message);
    }

    [Fact]
    public void MissingFontFamilyIsAnErrorNamingIt()
    {
        var name = _cards.Template("font", Open + "\n  <text font-family=\"Helvetica Neue Ultra\">{{ title }}</text>\n</card>");
        var d = Fail(name);
        Assert.Equal(DiagnosticCodes.MissingFont, d.Code);
        Assert.Contains("Helvetica Neue Ultra", d.Message);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void MissingFontFolderIsAnErrorNamingIt()
    {
        var ex = Assert.ThrowsAny<BuildInputException>(() => _cards.Engine(fonts: [Path.Combine(_cards.Root, "no-fonts")]));
        Assert.Equal(DiagnosticCodes.MissingFontFolder, ex.Diagnostic.Code);
        Assert.Contains("no-fonts", ex.Diagnostic.Message);
    }

    [Fact]
    public void UncoveredCodePointIsAWarningByDefaultAndAnErrorInStrictMode()
    {
        const string markup = Open + "<text>{{ title }}</text></card>";
        var item = new Dictionary<string, object?> { ["title"] = "Hello \u0378" };
        var name = _cards.Template("cover", markup);
        using (var engine = _cards.Engine())
        using (var renderer = engine.CreateRenderer())
        using (var prepared = renderer.Prepare(name, item, new CardSize(600, 300), "post-7"))
        {
            var w = Assert.Single(prepared.Warnings);
            Assert.Equal(DiagnosticCodes.UncoveredCodePoint, w.Code);
            Assert.Contains("U+0378", w.Message);
            Assert.Equal("post-7", w.Item);
        }
        using var strict = new TestCards(strict: true);
        var d = Fail(strict.Template("cover", markup), item, strict);
        Assert.Equal(DiagnosticCodes.UncoveredCodePoint, d.Code);
        Assert.Contains("U+0378", d.Message);
    }

    [Fact]
    public void MissingVariableIsAnErrorInStrictModeOnly()
    {
        const string markup = Open + "\n  <text>{{ subtitle }}</text>\n</card>";
        using (var engine = _cards.Engine())
        using (var renderer = engine.CreateRenderer())
        using (var prepared = renderer.Prepare(_cards.Template("strict", markup), new Dictionary<string, object?>(), new CardSize(600, 300)))
        {
            Assert.Contains("<text></text>", prepared.Markup);
        }
        using var strict = new TestCards(strict: true);
        var d = Fail(strict.Template("strict", markup), new(), strict);
        Assert.Equal(DiagnosticCodes.MissingVariable, d.Code);
        Assert.Contains("subtitle", d.Message);
        Assert.Equal(2, d.Line);
    }

    [Fact]
    public void RunawayTemplateStopsAtItsTimeLimit()
    {
        var items = Enumerable.Range(0, 400).Cast<object?>().ToList();
        var name = _cards.Template("runaway", Open + "{{ for a in items }}{{ for b in items }}{{ for c in items }}{{ x = a + b + c }}{{ end }}{{ end }}{{ end }}</card>");
        var d = Fail(name, new() { ["items"] = items }, limit: TimeSpan.FromMilliseconds(300));
        Assert.Equal(DiagnosticCodes.TemplateTimeLimit, d.Code);
    }

    [Fact]
    public void ItemDataCannotInjectMarkup()
    {
        var name = _cards.Template("inject", Open + "<text>{{ title }}</text></card>");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["title"] = "</text><image src=\"/etc/passwd\"/><text>" }, new CardSize(600, 300));
        Assert.DoesNotContain("<image", prepared.Markup);
        Assert.Empty(prepared.Inputs.AssetFiles);
    }

    [Fact]
    public void MarkupWithADoctypeIsRefused()
    {
        var name = _cards.Template("dtd", "<!DOCTYPE card [<!ENTITY x \"boom\">]>\n" + Open + "<text>&x;</text></card>");
        Assert.Equal(DiagnosticCodes.MarkupSyntax, Fail(name).Code);
    }

    [Fact]
    public void DiagnosticFormatsInMsbuildCanonicalForm()
    {
        var d = new Diagnostic(DiagnosticSeverity.Error, "BI0201", "unknown element <blink>", "/t/card.sbn", 3, 4, "post-7");
        Assert.Equal("/t/card.sbn(3,4): error BI0201: unknown element <blink> [item post-7]", d.ToString());
    }

    public void Dispose() => _cards.Dispose();
}
