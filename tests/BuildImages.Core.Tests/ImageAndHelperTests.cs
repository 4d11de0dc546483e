using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>Images (fit, focal point, circle clip, data URIs, raster formats) and template helpers.</summary>
public sealed class ImageAndHelperTests : IDisposable
{
    private readonly TestCards _cards = new();

    /// <summary>A 200×100 PNG: left half red, right half blue, made with our own encoder.</summary>
    private static byte[] SplitImage(ImageFormat format)
    {
        var card = new TestCards();
        try
        {
            var rendered = card.Render("""<card width="{{ card.width }}" height="{{ card.height }}" background="#ff0000"><rect x="100" y="0" width="100" height="100" fill="#0000ff"/></card>""", width: 200, height: 100);
            return VariantEncoder.Encode(rendered, new EncodeOptions(format, 95));
        }
        finally
        {
            card.Dispose();
        }
    }

    private RenderedCard RenderImage(string attributes, Dictionary<string, object?>? item = null) => _cards.Render(
        """<card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff"><image x="0" y="0" width="300" height="300" """ + attributes + "/></card>",
        item,
        width: 300,
        height: 300);

    [Theory]
    [InlineData(ImageFormat.Png, "split.png")]
    [InlineData(ImageFormat.Jpeg, "split.jpg")]
    [InlineData(ImageFormat.WebP, "split.webp")]
    public void ContainLetterboxesAndCoverCropsAtTheFocalPoint(ImageFormat format, string file)
    {
        File.WriteAllBytes(Path.Combine(_cards.Assets, file), SplitImage(format));
        var contain = RenderImage($"src=\"{file}\" fit=\"contain\"");
        Assert.True(contain.PixelAt(150, 20).R > 240 && contain.PixelAt(150, 20).G > 240, "contain leaves the top band white");
        Assert.True(contain.PixelAt(50, 150).R > 200 && contain.PixelAt(50, 150).B < 60, "left half red");
        Assert.True(contain.PixelAt(250, 150).B > 200 && contain.PixelAt(250, 150).R < 60, "right half blue");

        var coverLeft = RenderImage($"src=\"{file}\" fit=\"cover\" focus=\"0% 50%\"");
        Assert.True(coverLeft.PixelAt(280, 150).R > 200, "focus at the left keeps the red half");
        var coverRight = RenderImage($"src=\"{file}\" fit=\"cover\" focus=\"100% 50%\"");
        Assert.True(coverRight.PixelAt(20, 150).B > 200, "focus at the right keeps the blue half");
    }

    [Fact]
    public void DataUriImageDrawsAndReadsNoFile()
    {
        var uri = "data:image/png;base64," + Convert.ToBase64String(SplitImage(ImageFormat.Png));
        var name = _cards.Template("datauri", """<card width="{{ card.width }}" height="{{ card.height }}" background="#fff"><image x="0" y="0" width="300" height="300" src="{{ src }}" fit="fill" circle="true"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["src"] = uri }, new CardSize(300, 300));
        Assert.Empty(prepared.Inputs.AssetFiles);
        var card = prepared.Draw(1);
        Assert.True(card.PixelAt(60, 150).R > 200 && card.PixelAt(60, 150).G < 60);
        // Circle clip: the corners stay white.
        Assert.True(card.PixelAt(5, 5).G > 240 && card.PixelAt(295, 295).G > 240);
    }

    [Fact]
    public void RasterSourcesAreDecodedOncePerRenderAndReported()
    {
        File.WriteAllBytes(Path.Combine(_cards.Assets, "a.png"), SplitImage(ImageFormat.Png));
        var name = _cards.Template("twice", """<card width="{{ card.width }}" height="{{ card.height }}"><image x="0" y="0" width="100" height="50" src="a.png"/><image x="100" y="0" width="100" height="50" src="a.png"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?>(), new CardSize(200, 50));
        Assert.Equal([Path.Combine(_cards.Assets, "a.png")], prepared.Inputs.AssetFiles);
    }

    [Theory]
    [InlineData("{{ format_date d }}", "March 4, 2026")]
    [InlineData("{{ format_date d \"d MMMM yyyy\" \"de-DE\" }}", "4 März 2026")]
    [InlineData("{{ format_date d \"dd/MM/yyyy\" \"fr-FR\" }}", "04/03/2026")]
    [InlineData("{{ shorten long 10 }}", "A very…")]
    [InlineData("{{ shorten emoji 3 }}", "👩‍👩‍👧‍👦🇯🇵👍🏽…")]
    [InlineData("{{ upper \"ça va\" }}", "ÇA VA")]
    [InlineData("{{ title_case \"hello big world\" }}", "Hello Big World")]
    [InlineData("{{ slugify \"Héllo, Wörld! 2026\" }}", "hello-world-2026")]
    [InlineData("{{ format_number n \"N2\" \"de-DE\" }}", "1.234,50")]
    [InlineData("{{ default missing \"fallback\" }}", "fallback")]
    [InlineData("{{ tags | array.join \" · \" }}", "a · b · c")]
    [InlineData("{{ initials \"ada lovelace\" }}", "AL")]
    [InlineData("{{ if n > 1000 }}big{{ end }}", "big")]
    [InlineData("{{ tags | array.size }}", "3")]
    [InlineData("{{ upper \"straße\" \"de-DE\" }}", "STRASSE")]
    [InlineData("{{ lower \"TITLE\" \"tr-TR\" }}", "tıtle")]
    [InlineData("{{ initials \"ada\" }}", "A")]
    [InlineData("{{ \"ab\" | string.upcase }}", "AB")]
    public void HelpersFormatAsDocumented(string expression, string expected)
    {
        var name = _cards.Template("h" + Math.Abs(expression.GetHashCode(StringComparison.Ordinal)), """<card width="{{ card.width }}" height="{{ card.height }}"><text>""" + expression + "</text></card>");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var item = new Dictionary<string, object?>
        {
            ["d"] = "2026-03-04",
            ["long"] = "A very long sentence indeed",
            ["emoji"] = "👩‍👩‍👧‍👦🇯🇵👍🏽🚀",
            ["n"] = 1234.5,
            ["tags"] = new List<object?> { "a", "b", "c" },
        };
        using var prepared = renderer.Prepare(name, item, new CardSize(600, 300));
        var text = prepared.Markup[(prepared.Markup.IndexOf("<text>", StringComparison.Ordinal) + 6)..prepared.Markup.IndexOf("</text>", StringComparison.Ordinal)];
        Assert.Equal(expected, System.Net.WebUtility.HtmlDecode(text));
    }

    public void Dispose() => _cards.Dispose();
}
