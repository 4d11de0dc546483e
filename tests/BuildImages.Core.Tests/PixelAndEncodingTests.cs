using BuildImages.Core.Drawing;
using BuildImages.Core.Encoders;
using BuildImages.Core.Markup;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

public sealed class PixelAndEncodingTests : IDisposable
{
    private readonly TestCards _cards = new();

    [Fact]
    public void AFrameDrawnIntoAReusedBufferIsTheFreshFrameWhateverTheBufferHeld()
    {
        // A transparent card with a shape: the batch draws into pooled buffers, which hold the previous card's pixels.
        var name = _cards.Template("pooled", """<card width="{{ card.width }}" height="{{ card.height }}" background="rgba(0,0,0,0)"><rect x="20" y="20" width="100" height="60" radius="12" fill="rgba(37,99,235,0.6)"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?>(), new Templates.CardSize(200, 100));
        var fresh = prepared.DrawAtWidth(400);
        var dirty = Enumerable.Repeat((byte)0xA5, fresh.Stride * fresh.Height + 4096).ToArray();

        var reused = prepared.DrawAtWidth(400, length => length <= dirty.Length ? dirty : throw new InvalidOperationException("buffer too small"));

        Assert.Same(dirty, reused.Bgra);
        Assert.Equal((fresh.Width, fresh.Height, fresh.Stride), (reused.Width, reused.Height, reused.Stride));
        Assert.Equal(fresh.Bgra, reused.Bgra[..(fresh.Stride * fresh.Height)]);
        Assert.Equal(0, reused.PixelAt(399, 199).A);
    }

    [Theory]
    [InlineData("#102030", "", 333)]
    [InlineData("linear-gradient(135deg, #0f172a, #7c3aed)", "", 333)]
    [InlineData("radial-gradient(circle at 20% 30%, #ffffff, #0f172a)", "", 401)]
    [InlineData("#102030", " radius=\"24\"", 333)]
    [InlineData("linear-gradient(135deg, #0f172a, rgba(124,58,237,0.5))", "", 333)]
    public void APooledFrameUnderAnyBackgroundIsTheFreshFrame(string background, string extra, int width)
    {
        // Opaque and translucent backgrounds, square and rounded, at widths where the card's edge falls inside a pixel:
        // whatever the pooled frame held, the drawn frame is the fresh one.
        var name = _cards.Template("pooled-bg", $$$"""<card width="{{ card.width }}" height="{{ card.height }}" background="{{{background}}}"{{{extra}}}><text x="10" y="10" font-size="20" color="#ffffff">Pooled</text></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?>(), new Templates.CardSize(200, 105));
        var fresh = prepared.DrawAtWidth(width);
        var dirty = Enumerable.Repeat((byte)0xA5, fresh.Stride * fresh.Height + 4096).ToArray();

        var reused = prepared.DrawAtWidth(width, length => length <= dirty.Length ? dirty : throw new InvalidOperationException("buffer too small"));

        Assert.Equal(fresh.Bgra, reused.Bgra[..(fresh.Stride * fresh.Height)]);
    }

    [Fact]
    public void SemiTransparentPixelsSurvivePremultipliedRoundTrip()
    {
        byte[] rgba = [200, 100, 50, 128, 255, 255, 255, 0, 10, 20, 30, 255, 255, 0, 0, 1];
        var stride = 16;
        var cairo = new byte[stride];
        PixelConverter.ToPremultipliedBgra(rgba, 4, 4, 1, cairo, stride);
        // B,G,R,A premultiplied: 50*128/255 ≈ 25, 100*128/255 ≈ 50, 200*128/255 ≈ 100.
        Assert.Equal(new byte[] { 25, 50, 100, 128 }, cairo[..4]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, cairo[4..8]);
        var back = PixelConverter.FromPremultipliedBgra(cairo, 4, 1, stride, 4);
        for (var i = 0; i < 12; i++)
        {
            if (rgba[(i / 4 * 4) + 3] >= 128)
            {
                Assert.InRange(back[i], rgba[i] - 2, rgba[i] + 2);
            }
        }
        Assert.Equal(0, back[7]);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.WebP)]
    [InlineData(ImageFormat.Jpeg)]
    public void EncodedCardDecodesToTheDrawnColours(ImageFormat format)
    {
        var card = _cards.Render("""<card width="{{ card.width }}" height="{{ card.height }}" background="#ff0000"><rect x="300" y="0" width="300" height="300" fill="rgb(0,0,255)"/></card>""");
        var bytes = VariantEncoder.Encode(card, new EncodeOptions(format, 90));
        var (rgba, w, h) = VariantEncoder.DecodeRgba(bytes);
        Assert.Equal((600, 300), (w, h));
        Assert.InRange(rgba[(150 * w + 100) * 4], 235, 255);
        Assert.InRange(rgba[((150 * w) + 100) * 4 + 2], 0, 20);
        Assert.InRange(rgba[((150 * w) + 500) * 4 + 2], 235, 255);
    }

    [Fact]
    public void SemiTransparentCardKeepsAlphaInPng()
    {
        var card = _cards.Render("""<card width="{{ card.width }}" height="{{ card.height }}" background="rgba(0,128,0,0.5)"/>""");
        var (rgba, _, _) = VariantEncoder.DecodeRgba(VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.Png)));
        Assert.InRange(rgba[3], 126, 129);
        Assert.InRange(rgba[1], 126, 130);
    }

    [Fact]
    public void OutOfRangeQualityIsRefused()
    {
        var card = _cards.Render("""<card width="{{ card.width }}" height="{{ card.height }}"/>""");
        Assert.Throws<ArgumentOutOfRangeException>(() => VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.WebP, 1000)));
    }

    [Fact]
    public void DrawingAtHalfWidthIsVectorNotADownscale()
    {
        var name = _cards.Template("half", """<card width="{{ card.width }}" height="{{ card.height }}" background="#fff"><rect x="100" y="50" width="200" height="100" fill="#000"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?>(), new Templates.CardSize(600, 300));
        var half = prepared.DrawAtWidth(300);
        Assert.Equal((300, 150), (half.Width, half.Height));
        Assert.Equal(0, half.PixelAt(75, 50).R);
        Assert.Equal(255, half.PixelAt(45, 50).R);
    }

    [Theory]
    [InlineData("#abc", 0xaa, 0xbb, 0xcc, 1.0)]
    [InlineData("#11223380", 0x11, 0x22, 0x33, 0.502)]
    [InlineData("rgb(10, 20, 30)", 10, 20, 30, 1.0)]
    [InlineData("rgba(10,20,30,0.25)", 10, 20, 30, 0.25)]
    [InlineData("hsl(0, 100%, 50%)", 255, 0, 0, 1.0)]
    [InlineData("rebeccapurple", 0x66, 0x33, 0x99, 1.0)]
    public void ColoursParse(string text, int r, int g, int b, double a)
    {
        Assert.True(ColorParser.TryParse(text, out var c));
        Assert.Equal((r, g, b), ((int)Math.Round(c.R * 255), (int)Math.Round(c.G * 255), (int)Math.Round(c.B * 255)));
        Assert.Equal(a, c.A, 2);
    }

    public void Dispose() => _cards.Dispose();
}
