using BuildImages.Core.Text;
using SkiaSharp;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// WOFF2's glyf transform (triplet-encoded points, bounding boxes, composites) undone by <see cref="Woff2Decoder"/>
/// gives the outlines of the same font packed as WOFF 1.0, whose tables are only zlib-compressed: every glyph's
/// path, point for point, and every glyph's advance.
/// </summary>
public sealed class Woff2DecoderTests
{
    private static readonly string Fonts = Path.Combine(TestCards.RepoRoot, "tests", "Fonts");

    [Fact]
    public void EveryGlyphOutlineAndAdvanceMatchesTheSameFontFromWoff()
    {
        var fromWoff = WoffUnpacker.ToSfnt(File.ReadAllBytes(Path.Combine(Fonts, "woff", "pacifico-latin-400-normal.woff")));
        var fromWoff2 = Woff2Decoder.ToSfnt(File.ReadAllBytes(Path.Combine(Fonts, "woff2", "pacifico-latin-400-normal.woff2")));

        using var reference = SKTypeface.FromData(SKData.CreateCopy(fromWoff));
        using var decoded = SKTypeface.FromData(SKData.CreateCopy(fromWoff2));
        Assert.NotNull(reference);
        Assert.NotNull(decoded);
        Assert.Equal(reference.GlyphCount, decoded.GlyphCount);
        using var a = new SKFont(reference, 1000);
        using var b = new SKFont(decoded, 1000);
        var drawn = 0;
        for (ushort glyph = 0; glyph < reference.GlyphCount; glyph++)
        {
            using var expected = a.GetGlyphPath(glyph);
            using var actual = b.GetGlyphPath(glyph);
            Assert.Equal(expected?.ToSvgPathData() ?? "", actual?.ToSvgPathData() ?? "");
            Assert.Equal(a.GetGlyphWidths([glyph])[0], b.GetGlyphWidths([glyph])[0]);
            drawn += expected is { PointCount: > 0 } ? 1 : 0;
        }
        Assert.True(drawn > 50, $"only {drawn} glyphs have outlines");
    }

    [Fact]
    public void AStreamCutShortIsRefusedSayingSo()
    {
        var woff2 = File.ReadAllBytes(Path.Combine(Fonts, "woff2", "pacifico-latin-400-normal.woff2"));

        var ex = Assert.Throws<InvalidDataException>(() => Woff2Decoder.ToSfnt(woff2[..(woff2.Length * 2 / 3)]));

        Assert.Contains("shorter than its directory", ex.Message, StringComparison.Ordinal);
    }
}
