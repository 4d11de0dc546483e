using System.Text.Json;
using BuildImages.Tests.Shared;
using NetVips;

namespace BuildImages.Tool.Tests;

/// <summary><c>optimize IN OUT</c>: a folder of photos right-sized with a preset, with the manifest's skips, exit codes and the vision report.</summary>
public sealed class OptimizeCommandTests : IDisposable
{
    private readonly ToolRun _tool = new();

    private void Photo(string relative, int width, int height)
    {
        Core.Native.NativeStack.EnsureLoaded();
        var full = _tool.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var image = Image.Black(width, height, bands: 3).NewFromImage(30, 120, 200).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        File.WriteAllBytes(full, image.JpegsaveBuffer());
    }

    [Fact]
    public void AFolderBecomesRightSizedPhotosAndASecondRunSkipsThem()
    {
        Photo("in/a/big.jpg", 3840, 2160);
        Photo("in/small.jpg", 400, 300);
        var run = _tool.Run("optimize", "in", "out", "--preset", "ai-scene", "--report", "report.json");
        Assert.True(run.Exit == 0, run.Err);
        using (var report = JsonDocument.Parse(File.ReadAllText(_tool.PathOf("report.json"))))
        {
            var photos = report.RootElement.GetProperty("photos");
            var big = photos.EnumerateArray().Single(p => p.GetProperty("path").GetString() == "a/big.jpg");
            Assert.Equal((768, 432), (big.GetProperty("width").GetInt32(), big.GetProperty("height").GetInt32()));
            Assert.Equal(3840, big.GetProperty("sourceWidth").GetInt32());
            var openai = big.GetProperty("vision").EnumerateArray().First(v => v.GetProperty("provider").GetString() == "openai");
            Assert.Equal(1105, openai.GetProperty("tokensBefore").GetInt64());
            Assert.Equal(425, openai.GetProperty("tokensAfter").GetInt64());
            Assert.True(openai.GetProperty("providerResizesOriginal").GetBoolean());
        }
        Assert.True(File.Exists(_tool.PathOf("out/small.jpg")));
        Assert.Contains("tokens", run.Out, StringComparison.Ordinal);
        var again = _tool.Run("optimize", "in", "out", "--preset", "ai-scene");
        Assert.Equal(0, again.Exit);
        Assert.Contains("rendered 0, skipped 2", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptPhotoExits1NamingItAndSkipExits0()
    {
        Photo("in/good.jpg", 800, 600);
        Directory.CreateDirectory(_tool.PathOf("in"));
        File.WriteAllBytes(_tool.PathOf("in/bad.jpg"), [0xFF, 0xD8, 0xFF, 1, 2]);
        var failed = _tool.Run("optimize", "in", "out", "--preset", "ai-thumb");
        Assert.Equal(1, failed.Exit);
        Assert.Contains("bad.jpg", failed.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(_tool.PathOf("out/good.jpg")));
        var skipped = _tool.Run("optimize", "in", "out", "--preset", "ai-thumb", "--on-error", "skip");
        Assert.Equal(0, skipped.Exit);
        Assert.Equal(2, _tool.Run("optimize", "no-such-folder", "out").Exit);
    }

    [Theory]
    [InlineData("in", "in")]
    [InlineData("in", "in/out")]
    [InlineData("in/photos", "in")]
    public void AnOutputFolderThatIsTheInputInsideItOrAroundItIsAUsageErrorAndNoPhotoChanges(string input, string output)
    {
        Photo(input + "/a.jpg", 400, 250);
        var before = File.ReadAllBytes(_tool.PathOf(input + "/a.jpg"));

        var run = _tool.Run("optimize", input, output, "--preset", "ai-thumb");

        Assert.Equal(2, run.Exit);
        Assert.Contains("apart from IN", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_tool.PathOf(input + "/a.jpg")));
        Assert.Single(Directory.GetFiles(_tool.PathOf("in"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnOutputFolderReachedThroughALinkToTheInputIsRefusedToo()
    {
        Photo("in/a.jpg", 400, 250);
        Directory.CreateSymbolicLink(_tool.PathOf("out"), _tool.PathOf("in"));
        var before = File.ReadAllBytes(_tool.PathOf("in/a.jpg"));

        var run = _tool.Run("optimize", "in", "out", "--preset", "ai-thumb");

        Assert.Equal(2, run.Exit);
        Assert.Contains("BI0026", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_tool.PathOf("in/a.jpg")));
    }

    [Fact]
    public void PNGsWithAlphaInEveryFormAreOptimizedWithTheWebPreset()
    {
        Core.Native.NativeStack.EnsureLoaded();
        Directory.CreateDirectory(_tool.PathOf("in"));
        foreach (var kind in Enum.GetValues<AlphaPngs.Kind>())
        {
            File.WriteAllBytes(_tool.PathOf($"in/{kind}.png"), AlphaPngs.Make(kind, 900, 1700));
        }

        var run = _tool.Run("optimize", "in", "out", "--preset", "web");

        Assert.True(run.Exit == 0, run.Err);
        foreach (var kind in Enum.GetValues<AlphaPngs.Kind>())
        {
            var webps = Directory.GetFiles(_tool.PathOf("out"), $"{kind}*.webp");
            Assert.NotEmpty(webps);
            Assert.NotEmpty(Directory.GetFiles(_tool.PathOf("out"), $"{kind}*.jpg"));
            using var webp = Image.NewFromFile(webps[0]);
            Assert.Equal(AlphaPngs.Translucent(kind), webp.HasAlpha());
        }
    }

    public void Dispose() => _tool.Dispose();
}
