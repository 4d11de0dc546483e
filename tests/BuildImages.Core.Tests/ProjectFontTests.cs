using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>Project font folders: WOFF, WOFF2 and variable fonts are unpacked, used and reported.</summary>
public sealed class ProjectFontTests : IDisposable
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private readonly TestCards _cards = new();

    private static string Fonts(string sub) => Path.Combine(TestCards.RepoRoot, "tests", "Fonts", sub);

    private (RenderedCard Card, CardInputs Inputs) Render(string folder, string family, int weight = 400)
    {
        var name = _cards.Template("f" + Guid.NewGuid().ToString("N")[..6],
            """<card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000"><text x="10" y="10" font-family="{{ family }}" font-weight="{{ weight }}" font-size="64">Handgloves</text></card>""");
        using var engine = _cards.Engine(fonts: [Fonts(folder)]);
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["family"] = family, ["weight"] = weight }, new CardSize(600, 120));
        return (prepared.Draw(1), prepared.Inputs);
    }

    [Theory]
    [InlineData("woff", "pacifico-latin-400-normal.woff")]
    [InlineData("woff2", "pacifico-latin-400-normal.woff2")]
    public void WebFontFilesInAProjectFolderAreUsed(string folder, string file)
    {
        var (card, inputs) = Render(folder, "Pacifico");
        Assert.Contains(inputs.FontFiles, f => f.EndsWith(file, StringComparison.Ordinal));
        var (inter, _) = Render(folder, "Inter");
        Assert.True(PixelAssert.Ink(card, 0, 0, 600, 120, White) > 500);
        Assert.NotEqual(PixelAssert.InkBounds(card, White), PixelAssert.InkBounds(inter, White));
    }

    [Fact]
    public void AProjectFamilyIsUnknownWithoutItsFolder()
    {
        using var engine = _cards.Engine();
        Assert.False(engine.Fonts.HasFamily("Pacifico"));
        using var withFolder = _cards.Engine(fonts: [Fonts("woff")]);
        Assert.True(withFolder.Fonts.HasFamily("Pacifico"));
    }

    [Fact]
    public void VariableFontWeightsDrawDifferentStrokes()
    {
        const string family = "Recursive Sans Linear Light";
        var (light, lightInputs) = Render("variable", family, 300);
        var (heavy, _) = Render("variable", family, 900);
        Assert.Contains(lightInputs.FontFiles, f => f.EndsWith("recursive-latin-wght-normal.woff2", StringComparison.Ordinal));
        var lightInk = PixelAssert.Ink(light, 0, 0, 600, 120, White);
        var heavyInk = PixelAssert.Ink(heavy, 0, 0, 600, 120, White);
        Assert.True(heavyInk > lightInk * 1.3, $"weight 900 ink {heavyInk} vs weight 300 ink {lightInk}");
    }

    [Fact]
    public void ACorruptWoff2IsAClearError()
    {
        var dir = Path.Combine(_cards.Root, "badfonts2");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "broken.woff2"), [0x77, 0x4F, 0x46, 0x32, 0, 1, 0, 0, 9, 9]);
        var ex = Assert.Throws<Diagnostics.FontException>(() => _cards.Engine(fonts: [dir]));
        Assert.Contains("broken.woff2", ex.Diagnostic.Message);
        Assert.Contains("WOFF2", ex.Diagnostic.Message);
    }

    [Fact]
    public void ACorruptWoffIsAClearError()
    {
        var dir = Path.Combine(_cards.Root, "badfonts");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "broken.woff"), [0x77, 0x4F, 0x46, 0x46, 1, 2, 3]);
        var ex = Assert.Throws<Diagnostics.FontException>(() => _cards.Engine(fonts: [dir]));
        Assert.Contains("broken.woff", ex.Diagnostic.Message);
    }

    public void Dispose() => _cards.Dispose();
}
