using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BuildImages.Tool.Tests;

/// <summary>The preview contact sheet, opened in headless Chromium (installed by build/test.sh).</summary>
public sealed partial class PreviewPageTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public void TheContactSheetLoadsEveryImageAndShowsTheCards()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);
        var preview = _tool.Run("preview", "--count", "2");
        Assert.Equal(0, preview.Exit);
        var page = _tool.PathOf(".buildimages/preview/index.html");
        Assert.Equal(page, preview.Out.Trim());

        var dom = Chromium("--dump-dom", new Uri(page).AbsoluteUri);
        var match = LoadedImages().Match(dom);
        Assert.True(match.Success, "the page's load script did not run:\n" + dom[..Math.Min(500, dom.Length)]);
        // Two cards, each at real size plus four mock-ups.
        Assert.Equal("10", match.Groups["images"].Value);
        Assert.Equal("10", match.Groups["loaded"].Value);

        var shot = Path.Combine(_tool.Dir, "preview.png");
        Chromium($"--screenshot={shot}", "--window-size=1400,1800", new Uri(page).AbsoluteUri);
        var (rgba, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(shot));
        Assert.Equal((1400, 1800), (width, height));
        // The page is light grey; the blog-post card is deep navy. Count navy pixels: the card at real size
        // (1200x630 less the part below the fold) must be there.
        var navy = 0;
        for (var i = 0; i < rgba.Length; i += 4)
        {
            if (rgba[i] < 70 && rgba[i + 1] < 70 && rgba[i + 2] is > 20 and < 140)
            {
                navy++;
            }
        }
        Assert.True(navy > 300_000, $"only {navy} card-coloured pixels in the screenshot");
        var keep = Path.Combine(ToolRun.RepoRoot, "tests", "failures");
        Directory.CreateDirectory(keep);
        File.Copy(shot, Path.Combine(keep, "preview-page.png"), overwrite: true);
    }

    private static string Chromium(params string[] args)
    {
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=3000" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start; build/test.sh installs it");
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "chromium timed out");
        return output.Result;
    }

    [GeneratedRegex("data-images=\"(?<images>[0-9]+)\" data-loaded=\"(?<loaded>[0-9]+)\"")]
    private static partial Regex LoadedImages();
}
