using System.IO.Compression;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// What the MSBuild and tool packages carry (docs/platforms.md): Skia, HarfBuzz and libvips for each of the seven
/// runtime identifiers BuildImages supports, libvips' notices beside each libvips, no PDB, and no platform beyond
/// those seven (Skia and HarfBuzz bring thirteen Linux flavours and Windows PDBs of their own).
/// </summary>
public sealed class PackageContentsTests
{
    private static readonly (string Rid, string[] Files)[] Expected =
    [
        ("linux-x64", ["libvips.so.42", "libSkiaSharp.so", "libHarfBuzzSharp.so"]),
        ("linux-arm64", ["libvips.so.42", "libSkiaSharp.so", "libHarfBuzzSharp.so"]),
        ("linux-musl-x64", ["libvips.so.42", "libSkiaSharp.so", "libHarfBuzzSharp.so"]),
        ("win-x64", ["libvips-42.dll", "libSkiaSharp.dll", "libHarfBuzzSharp.dll"]),
        ("win-arm64", ["libvips-42.dll", "libSkiaSharp.dll", "libHarfBuzzSharp.dll"]),
        ("osx-x64", ["libvips.42.dylib"]),
        ("osx-arm64", ["libvips.42.dylib"]),
        // Skia and HarfBuzz ship one universal macOS binary for both architectures.
        ("osx", ["libSkiaSharp.dylib", "libHarfBuzzSharp.dylib"]),
    ];

    [Theory]
    [InlineData("BuildImages", "tasks/net10.0/")]
    [InlineData("BuildImages.Tool", "tools/net10.0/any/")]
    public void ThePackageCarriesEverySupportedPlatformsNativesAndNothingElse(string id, string root)
    {
        var package = Path.Combine(Packages.Folder, $"{id}.{Packages.Version}.nupkg");
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        foreach (var (rid, files) in Expected)
        {
            foreach (var file in files)
            {
                Assert.Contains($"{root}runtimes/{rid}/native/{file}", entries);
            }
            if (rid != "osx")
            {
                var notice = zip.GetEntry($"{root}runtimes/{rid}/native/libvips-THIRD-PARTY-NOTICES.md");
                Assert.NotNull(notice);
                using var reader = new StreamReader(notice.Open());
                var text = reader.ReadToEnd();
                Assert.Contains("| libvips ", text, StringComparison.Ordinal);
                Assert.Contains("LGPL", text, StringComparison.Ordinal);
            }
        }
        Assert.DoesNotContain(entries, e => e.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        var nativeRuntimes = entries.Where(e => e.StartsWith(root + "runtimes/", StringComparison.Ordinal) && e.Contains("/native/", StringComparison.Ordinal))
            .Select(e => e[(root.Length + "runtimes/".Length)..].Split('/')[0])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Expected.Select(e => e.Rid).Order(StringComparer.Ordinal), nativeRuntimes.Order(StringComparer.Ordinal));
    }
}
