using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>
/// A card's image can only be one of the formats we list: libvips' other loaders are blocked process-wide (the bundled
/// 8.18.7 has its own vips and matrix formats, CSV, raw and UltraHDR beside ours; a system build may add ImageMagick
/// for TGA/PSD and poppler for PDF), and the error names the file and the formats allowed.
/// </summary>
public sealed class LoaderAllowListTests : IDisposable
{
    private const string Open = """<card width="{{ card.width }}" height="{{ card.height }}" background="#fff">""";
    private readonly TestCards _cards = new();

    public static TheoryData<string, byte[]> Refused() => new()
    {
        // libvips reads PPM itself (ppmload): without the block this renders.
        { "grey.ppm", [.. "P6\n2 2\n255\n"u8, .. Enumerable.Repeat((byte)128, 12)] },
        // Uncompressed true-colour TGA, 2×2: ImageMagick reads it through magickload.
        { "tile.tga", [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 24, 0, .. Enumerable.Repeat((byte)200, 12)] },
        { "doc.pdf", [.. "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"u8] },
        { "layers.psd", [.. "8BPS"u8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 8, 0, 3] },
        // The bundled libvips 8.18.7 reads these from memory too (vipsload_source, matrixload_source): blocked as well.
        { "native.v", VipsFormat() },
        { "kernel.mat", [.. "2 2\n1 2\n3 4\n"u8] },
    };

    /// <summary>A 2×2 image in libvips' own format (its saver writes only to files).</summary>
    private static byte[] VipsFormat()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bi-{Guid.NewGuid():N}.v");
        try
        {
            using var black = NetVips.Image.Black(2, 2);
            black.WriteToFile(file);
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void AnImageInAFormatWeDoNotListIsRefusedNamingTheFileAndTheFormats(string file, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(_cards.Assets, file), bytes);
        var name = _cards.Template("refused" + Path.GetFileNameWithoutExtension(file), Open + "\n  <image src=\"" + file + "\" width=\"10\" height=\"10\"/>\n</card>");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var ex = Assert.ThrowsAny<BuildInputException>(() => renderer.Prepare(name, new Dictionary<string, object?> { ["title"] = "Hi" }, new CardSize(60, 30), "post-1"));
        Assert.Equal(DiagnosticCodes.CorruptImage, ex.Diagnostic.Code);
        Assert.Contains(file, ex.Diagnostic.Message);
        Assert.Contains("JPEG, PNG, WebP, GIF, TIFF, AVIF/HEIF, SVG", ex.Diagnostic.Message);
    }

    [Fact]
    public void AnImageOverThePixelLimitIsRefusedFromItsHeader()
    {
        // A valid PNG header claiming 100000×100000 pixels and no data: refused before any decode.
        var png = TestImages.PngHeaderOnly(100_000, 100_000);
        File.WriteAllBytes(Path.Combine(_cards.Assets, "bomb.png"), png);
        var name = _cards.Template("bomb", Open + "\n  <image src=\"bomb.png\" width=\"10\" height=\"10\"/>\n</card>");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        var ex = Assert.ThrowsAny<BuildInputException>(() => renderer.Prepare(name, new Dictionary<string, object?> { ["title"] = "Hi" }, new CardSize(60, 30), "post-1"));
        Assert.Contains("100000×100000", ex.Diagnostic.Message);
        Assert.Contains("pixel limit", ex.Diagnostic.Message);
    }

    public void Dispose() => _cards.Dispose();
}
