using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>Project font folders: WOFF fonts are unpacked, used and reported; WOFF2 is refused clearly.</summary>
public sealed class ProjectFontTests : IDisposable
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private readonly TestCards _cards = new();

    private static string Fonts(string sub) => Path.Combine(TestCards.RepoRoot, "tests", "Fonts", sub);

    private (RenderedCard Card, CardInputs Inputs) Render(string folder, string family, int weight = 400)
    {
        var name = _cards.Template("f" + Guid.NewGuid().ToString("N")[..6],
            """<card width="{{@width}}" height="{{@height}}" background="#ffffff" color="#000000"><text x="10" y="10" font-family="{{family}}" font-weight="{{weight}}" font-size="64">Handgloves</text></card>""");
        using var engine = _cards.Engine(fonts: [Fonts(folder)]);
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(name, new Dictionary<string, object?> { ["family"] = family, ["weight"] = weight }, new CardSize(600, 120));
        return (prepared.Draw(1), prepared.Inputs);
    }

    [Theory]
    [InlineData("woff", "pacifico-latin-400-normal.woff")]
    public void Web_font_files_in_a_project_folder_are_used(string folder, string file)
    {
        var (card, inputs) = Render(folder, "Pacifico");
        Assert.Contains(inputs.FontFiles, f => f.EndsWith(file, StringComparison.Ordinal));
        var (inter, _) = Render(folder, "Inter");
        Assert.True(PixelAssert.Ink(card, 0, 0, 600, 120, White) > 500);
        Assert.NotEqual(PixelAssert.InkBounds(card, White), PixelAssert.InkBounds(inter, White));
    }

    [Fact]
    public void A_project_family_is_unknown_without_its_folder()
    {
        using var engine = _cards.Engine();
        Assert.False(engine.Fonts.HasFamily("Pacifico"));
        using var withFolder = _cards.Engine(fonts: [Fonts("woff")]);
        Assert.True(withFolder.Fonts.HasFamily("Pacifico"));
    }

    [Fact]
    public void A_woff2_font_is_refused_with_a_clear_error_naming_it()
    {
        var ex = Assert.Throws<Diagnostics.CardException>(() => _cards.Engine(fonts: [Fonts("woff2")]));
        Assert.Equal(Diagnostics.DiagnosticCodes.MissingFontFolder, ex.Diagnostic.Code);
        Assert.Contains("pacifico-latin-400-normal.woff2", ex.Diagnostic.Message);
        Assert.Contains("WOFF2", ex.Diagnostic.Message);
    }

    [Fact]
    public void A_corrupt_woff_is_a_clear_error()
    {
        var dir = Path.Combine(_cards.Root, "badfonts");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "broken.woff"), [0x77, 0x4F, 0x46, 0x46, 1, 2, 3]);
        var ex = Assert.Throws<Diagnostics.CardException>(() => _cards.Engine(fonts: [dir]));
        Assert.Contains("broken.woff", ex.Diagnostic.Message);
    }

    public void Dispose() => _cards.Dispose();
}
