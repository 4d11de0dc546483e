using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>A font installed where fontconfig looks could become a fallback for any card, so it changes every key.</summary>
public sealed class SystemFontStampTests : IDisposable
{
    private readonly string _fonts = Directory.CreateTempSubdirectory("bi-sysfonts-").FullName;

    public void Dispose() => Directory.Delete(_fonts, recursive: true);

    [Fact]
    public void InstallingReplacingOrRemovingAFontChangesTheStamp()
    {
        Directory.CreateDirectory(Path.Combine(_fonts, "truetype", "noto"));
        File.WriteAllBytes(Path.Combine(_fonts, "truetype", "noto", "A.ttf"), [1, 2, 3]);
        var before = EngineStamp.SystemFontsStamp([_fonts]);
        Assert.Equal(before, EngineStamp.SystemFontsStamp([_fonts]));

        File.WriteAllBytes(Path.Combine(_fonts, "truetype", "noto", "B.ttf"), [4]);
        var installed = EngineStamp.SystemFontsStamp([_fonts]);
        Assert.NotEqual(before, installed);

        File.WriteAllBytes(Path.Combine(_fonts, "truetype", "noto", "B.ttf"), [4, 5]);
        var replaced = EngineStamp.SystemFontsStamp([_fonts]);
        Assert.NotEqual(installed, replaced);

        File.Delete(Path.Combine(_fonts, "truetype", "noto", "B.ttf"));
        Assert.Equal(before, EngineStamp.SystemFontsStamp([_fonts]));
    }

    [Fact]
    public void TheEngineStampCarriesTheSystemFonts()
    {
        var (stamp, _) = EngineStamp.Current(null);
        Assert.EndsWith("system fonts " + EngineStamp.SystemFontsStamp(), stamp, StringComparison.Ordinal);
    }
}
