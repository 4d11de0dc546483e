using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>
/// SVG filters are budgeted before librsvg draws them (it cannot be cancelled): a filter stack that would hold a
/// worker for seconds or minutes fails its card with BI0302; ordinary filters (a soft shadow) still draw.
/// </summary>
public sealed class SvgBudgetTests : IDisposable
{
    private const string Card = """<card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff"><image src="{{ img }}" width="100%" height="100%" fit="cover"/></card>""";

    private readonly TestCards _cards = new();

    public void Dispose() => _cards.Dispose();

    // Dilating by 3000 of 100000 units is a 73×73 window per pixel at 1200 px: seconds of librsvg before the budget.
    private static string Bomb(string radius = "3000", string extra = "") => $"""
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100000" height="100000" viewBox="0 0 100000 100000">
          <defs><filter id="f" x="0" y="0" width="100%" height="100%">
            <feTurbulence baseFrequency="0.01" numOctaves="10" result="t"/>
            <feMorphology in="t" operator="dilate" radius="{radius}" result="m"/>
            <feGaussianBlur in="m" stdDeviation="20000"/>
          </filter></defs>
          {extra}
        </svg>
        """;

    private BuildInputException Fails(string svg)
    {
        File.WriteAllText(Path.Combine(_cards.Assets, "x.svg"), svg);
        var template = _cards.Template("full", Card);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, new Dictionary<string, object?> { ["img"] = "x.svg" }, new Templates.CardSize(1200, 630), "photos/bomb");
        return Assert.ThrowsAny<BuildInputException>(() => prepared.DrawAtWidth(1200));
    }

    [Fact]
    public void StackedFiltersOverTheBudgetFailTheCardWithoutDrawing()
    {
        var ex = Fails(Bomb(extra: """<rect width="100000" height="100000" filter="url(#f)"/>"""));
        Assert.Equal("BI0302", ex.Diagnostic.Code);
        Assert.Contains("image 'x.svg' has SVG filters estimated at", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("1200×1200 px", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<rect width="100000" height="100000" style="fill:red; filter: url('#f')"/>""")]
    [InlineData("""<style>.b { filter: url(#f) }</style><rect class="b" width="100000" height="100000"/>""")]
    [InlineData("""<g transform="scale(10)"><rect width="10000" height="10000" filter="url(#f)"/></g>""")]
    public void FiltersAppliedByStyleCssOrUnderAScaleAreCounted(string use)
    {
        var radius = use.Contains("scale(10)", StringComparison.Ordinal) ? "300" : "3000";
        Assert.Equal("BI0302", Fails(Bomb(radius, use)).Diagnostic.Code);
    }

    [Fact]
    public void AFilterRepeatedByUseIsCountedPerUse()
    {
        var uses = string.Concat(Enumerable.Range(0, 400).Select(i => """<use xlink:href="#r"/>"""));
        Assert.Equal("BI0302", Fails(Bomb("40", $"""<rect id="r" width="100000" height="100000" filter="url(#f)"/>{uses}""")).Diagnostic.Code);
    }

    [Fact]
    public void TheSameBombThroughADataUriInAnItemFailsItsCardToo()
    {
        var uri = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Bomb(extra: """<rect width="100000" height="100000" filter="url(#f)"/>""")));
        var template = _cards.Template("full", Card);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, new Dictionary<string, object?> { ["img"] = uri }, new Templates.CardSize(1200, 630));
        Assert.Equal("BI0302", Assert.ThrowsAny<BuildInputException>(() => prepared.DrawAtWidth(1200)).Diagnostic.Code);
    }

    [Fact]
    public void AnOrdinarySoftShadowFilterStillDraws()
    {
        File.WriteAllText(Path.Combine(_cards.Assets, "shadow.svg"), """
            <svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
              <defs><filter id="s" x="-20%" y="-20%" width="140%" height="140%">
                <feGaussianBlur in="SourceAlpha" stdDeviation="4"/><feOffset dx="3" dy="3" result="b"/>
                <feMerge><feMergeNode in="b"/><feMergeNode in="SourceGraphic"/></feMerge>
              </filter></defs>
              <rect x="20" y="20" width="160" height="60" fill="#ff0000" filter="url(#s)"/>
            </svg>
            """);
        var card = _cards.Render(Card, new Dictionary<string, object?> { ["img"] = "shadow.svg" }, 1200, 600);
        var centre = card.PixelAt(600, 300);
        Assert.True(centre.R > 200 && centre.G < 60 && centre.B < 60, $"centre is {centre}");
    }

    [Fact]
    public void AnSvgDrawnLargerThanTheDevicePixelLimitFailsItsCardAndSaysWhy()
    {
        // A 10×10 logo stretched over a box of 20000×20000 px: 400 million device pixels.
        File.WriteAllText(Path.Combine(_cards.Assets, "dot.svg"), """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="red"/></svg>""");
        var template = _cards.Template("huge", """<card width="{{ card.width }}" height="{{ card.height }}"><image src="{{ img }}" width="20000" height="20000"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, new Dictionary<string, object?> { ["img"] = "dot.svg" }, new Templates.CardSize(1200, 630), "huge/dot");
        var ex = Assert.ThrowsAny<BuildInputException>(() => prepared.DrawAtWidth(1200));
        Assert.Equal("BI0302", ex.Diagnostic.Code);
        Assert.Contains("image 'dot.svg' would be drawn at 20000×20000 device pixels", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnSvgSharedByEveryCardIsRasterisedOncePerDrawnSize()
    {
        File.WriteAllText(Path.Combine(_cards.Assets, "logo.svg"), """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="100" height="100" fill="#0000ff"/><rect x="100" width="100" height="100" fill="#00ff00"/></svg>""");
        var template = _cards.Template("logo", Card);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var first = Draw(1200);
        for (var i = 0; i < 4; i++)
        {
            var again = Draw(1200);
            Assert.Equal(first.Bgra, again.Bgra);
        }
        var half = Draw(600);
        // Two drawn sizes: two rasterisations; the four repeats are hits.
        Assert.Equal(new Assets.ImageCacheStats(4, 2, (1200L * 600 * 4) + (600L * 300 * 4)), engine.ImageCache);
        // The pixels are the SVG's at the drawn size: blue on the left, green on the right.
        foreach (var card in new[] { first, half })
        {
            Assert.Equal(((byte)0, (byte)0, (byte)255, (byte)255), card.PixelAt(card.Width / 4, card.Height / 2));
            Assert.Equal(((byte)0, (byte)255, (byte)0, (byte)255), card.PixelAt(card.Width * 3 / 4, card.Height / 2));
        }

        Pixels.RenderedCard Draw(int width)
        {
            using var prepared = renderer.Prepare(template, new Dictionary<string, object?> { ["img"] = "logo.svg" }, new Templates.CardSize(1200, 600), "logo/" + width);
            return prepared.DrawAtWidth(width);
        }
    }
}
