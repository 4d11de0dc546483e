using System.Diagnostics;

namespace BuildImages.Tool.Tests;

/// <summary>
/// Issue 25's Windows promise, checked without Windows: the tool is published self-contained for win-x64 (its own
/// obj and bin, so no other test's build is touched), run under Debian's Wine on the bundled sample, and its cards are
/// compared with the same build on Linux. Skia, HarfBuzz and libvips are the win-x64 natives from our packages.
/// Two Wine-only workarounds, both here and nowhere in the product:
/// <list type="bullet">
/// <item>Wine 8 has no bcryptprimitives.dll, whose ProcessPrng the librsvg inside the win-x64 libvips imports: a stub
/// (tests/support/wine, ProcessPrng → RtlGenRandom) is built with mingw-w64 and put beside the tool.</item>
/// <item><c>DOTNET_EnableWriteXorExecute=0</c>: Wine's virtual memory does not give .NET's double-mapped code pages.</item>
/// </list>
/// Text on Windows is rasterised by DirectWrite (Skia's Windows font back end), so glyph edges differ from FreeType's
/// on Linux while every glyph stands where Linux puts it: a card may differ by a few levels on average, and no 8×8
/// block of it by more than <see cref="BlockTolerance"/> (a moved word or a missing image makes blocks differ by
/// 100 and more). Colour emoji come out blank under Wine (its DirectWrite draws no COLR glyphs): cards with emoji, and
/// the Arabic, Hebrew, Japanese and Thai ones, are rendered and decoded but not compared. Real Windows and macOS are
/// untested (docs/platforms.md).
/// </summary>
public sealed class WindowsUnderWineTests : IDisposable
{
    /// <summary>Mean absolute difference per channel over a card, in levels of 255 (measured: 0.7–4.0).</summary>
    private const double MeanTolerance = 6;

    /// <summary>Largest difference of one 8×8 block's mean luminance (measured: 18–29 on Latin cards).</summary>
    private const double BlockTolerance = 45;

    /// <summary>The sample's cards in Latin script with no emoji: the ones Wine can show as Windows draws them.</summary>
    private static readonly string[] LatinCards =
    [
        "og/blog/kafka-road.webp", "og/blog/kafka-road-600.webp", "og/blog/kafka-road-square.webp",
        "og/blog/long.webp", "og/blog/long-600.webp", "og/blog/long-square.webp",
        "og/events/dotnet-meetup.webp",
        "og/products/bottle.webp", "og/products/long.webp",
        "og/photos/dusk.webp", "og/photos/long.webp",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("bi-wine-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A wineserver still closing its files: a temp folder left behind is harmless.
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheWindowsToolRendersTheSampleLikeLinuxDoes()
    {
        var wine = new[] { "/usr/lib/wine/wine64", "/usr/lib64/wine/wine64", "/usr/bin/wine64" }.FirstOrDefault(File.Exists);
        Assert.True(wine is not null, "Wine is not installed: build/test.sh installs it (apt-get install wine64)");
        var wineserver = Path.Combine(Path.GetDirectoryName(wine)!, "wineserver64") is var s && File.Exists(s) ? s : "wineserver";
        var repo = ToolRun.RepoRoot;

        // Published as a user would for Windows, from its own obj/bin (another test may be building the tool).
        var publish = Path.Combine(_dir, "publish");
        Run("dotnet", ["publish", Path.Combine(repo, "src", "BuildImages.Tool"), "-c", "Release", "-r", "win-x64", "--self-contained",
            "--artifacts-path", Path.Combine(_dir, "artifacts"), "-o", publish, "--nologo", "-v", "q"], null, TimeSpan.FromMinutes(8));
        foreach (var native in new[] { "libvips-42.dll", "libSkiaSharp.dll", "libHarfBuzzSharp.dll", "dotnet-build-images.exe", "libvips-THIRD-PARTY-NOTICES.md" })
        {
            Assert.True(File.Exists(Path.Combine(publish, native)), $"the win-x64 publish has no {native}");
        }
        Assert.Empty(Directory.EnumerateFiles(publish, "*.pdb"));
        Assert.Empty(Directory.EnumerateFiles(publish, "*.so*", SearchOption.AllDirectories));
        Run("x86_64-w64-mingw32-gcc", ["-shared", "-O2", "-o", Path.Combine(publish, "bcryptprimitives.dll"),
            Path.Combine(repo, "tests", "support", "wine", "bcryptprimitives.c"), Path.Combine(repo, "tests", "support", "wine", "bcryptprimitives.def"), "-ladvapi32"],
            null, TimeSpan.FromMinutes(2));

        var prefix = Path.Combine(_dir, "prefix");
        var environment = new Dictionary<string, string>
        {
            ["WINEPREFIX"] = prefix,
            ["WINEDEBUG"] = "-all",
            // No Gecko install prompt (nothing here shows HTML). mscoree stays: Windows' loader asks it about IL images.
            ["WINEDLLOVERRIDES"] = "mshtml=",
            ["DOTNET_EnableWriteXorExecute"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DISPLAY"] = string.Empty,
        };
        try
        {
            Run(wine, ["wineboot", "-i"], environment, TimeSpan.FromMinutes(3));
            // wineboot returns before its server has finished setting up the prefix: wait for it.
            Run(wineserver, ["-w"], environment, TimeSpan.FromMinutes(3));

            var windowsOut = Path.Combine(_dir, "windows");
            var output = Run(wine, [Path.Combine(publish, "dotnet-build-images.exe"), "build", "--config", WindowsPath(Path.Combine(repo, "samples", "buildimages.json")), "--out", WindowsPath(windowsOut)],
                environment, TimeSpan.FromMinutes(5));
            Assert.Contains("failed 0", output, StringComparison.Ordinal);
            // Wine's DirectWrite draws no COLRv1: the emoji cards say their emoji come out blank (not silently), and
            // only those (the Linux build below says nothing).
            var blank = output.Split('\n').Where(l => l.Contains("BI0403", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(blank);
            Assert.All(blank, l => Assert.Contains("NotoColorEmoji", l, StringComparison.Ordinal));
            Assert.Contains(blank, l => l.Contains("blog/short", StringComparison.Ordinal));
            Assert.DoesNotContain(blank, l => l.Contains("kafka-road", StringComparison.Ordinal));

            var linuxOut = Path.Combine(_dir, "linux");
            var linux = Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll"), "build", "--config", Path.Combine(repo, "samples", "buildimages.json"), "--out", linuxOut],
                null, TimeSpan.FromMinutes(5));
            Assert.Contains("failed 0", linux, StringComparison.Ordinal);
            Assert.DoesNotContain("BI0403", linux, StringComparison.Ordinal);

            // Every card Linux wrote, Windows wrote too, at the same size; the Latin ones look the same.
            var linuxCards = Directory.EnumerateFiles(linuxOut, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".webp", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(linuxOut, f)).Order(StringComparer.Ordinal).ToList();
            Assert.True(linuxCards.Count >= 30, $"{linuxCards.Count} cards on Linux");
            var report = new List<string>();
            foreach (var card in linuxCards)
            {
                var (a, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(windowsOut, card)));
                var (b, linuxWidth, linuxHeight) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(linuxOut, card)));
                Assert.Equal((linuxWidth, linuxHeight), (width, height));
                if (LatinCards.Contains(card.Replace('\\', '/'), StringComparer.Ordinal))
                {
                    var (mean, block) = Compare(a, b, width, height);
                    report.Add($"{card}: mean {mean:0.00}, 8×8 block {block:0.0}");
                    Assert.True(mean <= MeanTolerance && block <= BlockTolerance, $"{card} differs from the Linux render: mean {mean:0.00} (≤ {MeanTolerance}), 8×8 block {block:0.0} (≤ {BlockTolerance})");
                }
            }
            Assert.Equal(LatinCards.Length, report.Count);
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "windows-under-wine.txt"), report);

            // Photos: on Windows the sandbox children open each source by its path (libvips reads it while the handle
            // held keeps writers out, where Linux hands libvips the descriptor); the same libvips makes the same pixels.
            var photos = Path.Combine(_dir, "photos");
            Directory.CreateDirectory(photos);
            WritePhoto(Path.Combine(photos, "wide.jpg"), 2400, 1350, 1);
            WritePhoto(Path.Combine(photos, "tall.jpg"), 1200, 1800, 2);
            var windowsPhotos = Path.Combine(_dir, "windows-photos");
            var optimized = Run(wine, [Path.Combine(publish, "dotnet-build-images.exe"), "optimize", WindowsPath(photos), WindowsPath(windowsPhotos), "--preset", "ai-scene"],
                environment, TimeSpan.FromMinutes(3));
            Assert.Contains("rendered 2,", optimized, StringComparison.Ordinal);
            // BI0303 would mean no sandbox child started and the photos were decoded in the tool's own process.
            Assert.DoesNotContain("BI0303", optimized, StringComparison.Ordinal);
            var linuxPhotos = Path.Combine(_dir, "linux-photos");
            Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll"), "optimize", photos, linuxPhotos, "--preset", "ai-scene"], null, TimeSpan.FromMinutes(3));
            foreach (var (name, size) in new[] { ("wide.jpg", (768, 432)), ("tall.jpg", (512, 768)) })
            {
                var (a, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(windowsPhotos, name)));
                var (b, linuxWidth, linuxHeight) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(linuxPhotos, name)));
                Assert.Equal(size, (width, height));
                Assert.Equal(size, (linuxWidth, linuxHeight));
                var (mean, block) = Compare(a, b, width, height);
                Assert.True(mean <= 1 && block <= 4, $"{name} from Windows differs from Linux's: mean {mean:0.00}, 8×8 block {block:0.0}");
            }
        }
        finally
        {
            try
            {
                Run(wineserver, ["-k"], environment, TimeSpan.FromSeconds(30));
            }
            catch (Xunit.Sdk.XunitException)
            {
                // No server left to stop.
            }
        }
    }

    /// <summary>A camera-like JPEG: a gradient under noise, different for each seed.</summary>
    private static void WritePhoto(string path, int width, int height, int seed)
    {
        Core.Native.NativeStack.EnsureLoaded();
        using var xyz = NetVips.Image.Xyz(width, height);
        using var r = (xyz[0] * (200.0 / width)).Cast(NetVips.Enums.BandFormat.Uchar);
        using var g = (xyz[1] * (200.0 / height)).Cast(NetVips.Enums.BandFormat.Uchar);
        using var b = NetVips.Image.Gaussnoise(width, height, sigma: 25, mean: 100, seed: seed).Cast(NetVips.Enums.BandFormat.Uchar);
        using var rgb = r.Bandjoin(g, b).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        rgb.Jpegsave(path, q: 90);
    }

    /// <summary>The Z: drive path Wine maps to a Unix path.</summary>
    private static string WindowsPath(string unix) => "Z:" + unix.Replace('/', '\\');

    /// <summary>Mean absolute difference per RGB channel, and the largest difference of an 8×8 block's mean luminance.</summary>
    private static (double Mean, double Block) Compare(byte[] a, byte[] b, int width, int height)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            sum += Math.Abs(a[i] - b[i]) + Math.Abs(a[i + 1] - b[i + 1]) + Math.Abs(a[i + 2] - b[i + 2]);
        }
        var block = 0.0;
        for (var by = 0; by + 8 <= height; by += 8)
        {
            for (var bx = 0; bx + 8 <= width; bx += 8)
            {
                double la = 0, lb = 0;
                for (var y = by; y < by + 8; y++)
                {
                    for (var x = bx; x < bx + 8; x++)
                    {
                        var i = ((y * width) + x) * 4;
                        la += (0.299 * a[i]) + (0.587 * a[i + 1]) + (0.114 * a[i + 2]);
                        lb += (0.299 * b[i]) + (0.587 * b[i + 1]) + (0.114 * b[i + 2]);
                    }
                }
                block = Math.Max(block, Math.Abs(la - lb) / 64);
            }
        }
        return ((double)sum / (width * height * 3), block);
    }

    private static string Run(string file, string[] args, Dictionary<string, string>? environment, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in {limit}");
        }
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
