using System.Text.Json;
using BuildImages.Core.Encoders;
using BuildImages.Core.Imaging;
using NetVips;
using BuildImages.Core.Assets;

namespace BuildImages.Tool.Tests.Hostile;

/// <summary>A decoder that crashes on a hostile photo takes down a sandbox process, not the build.</summary>
public sealed class PhotoSandboxTests : IDisposable
{
    // Set for the whole test process: only a file holding it makes a sandbox child crash.
    private const string Marker = "BI-SANDBOX-TEST-CRASH";

    private readonly ToolRun _tool = new();

    public PhotoSandboxTests() => Environment.SetEnvironmentVariable(PhotoSandboxServer.CrashMarkerVariable, Marker);

    private static byte[] Jpeg(int width, int height, byte blue)
    {
        Core.Native.NativeStack.EnsureLoaded();
        using var image = Image.Black(width, height, bands: 3).NewFromImage(30, 120, blue).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return image.JpegsaveBuffer(q: 90);
    }

    private void Write(string relative, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_tool.PathOf(relative))!);
        File.WriteAllBytes(_tool.PathOf(relative), bytes);
    }

    [Fact]
    public void APhotoThatCrashesItsDecoderFailsByNameAndTheRestAreWritten()
    {
        Write("in/a.jpg", Jpeg(1600, 900, 200));
        // A valid JPEG with bytes after its end marker, as files from the wild have: here, the crash marker.
        Write("in/b.jpg", [.. Jpeg(1600, 900, 100), .. System.Text.Encoding.ASCII.GetBytes(Marker)]);
        Write("in/c.jpg", Jpeg(1600, 900, 50));
        var run = _tool.Run("optimize", "in", "out", "--preset", "ai-scene");
        Assert.Equal(1, run.Exit);
        var line = run.Err.Split('\n').Single(l => l.Contains("b.jpg", StringComparison.Ordinal) && l.Contains("error", StringComparison.Ordinal));
        Assert.Contains("crashed", line, StringComparison.Ordinal);
        Assert.Contains("(the build goes on)", line, StringComparison.Ordinal);
        foreach (var name in new[] { "a.jpg", "c.jpg" })
        {
            var (_, w, h) = VariantEncoder.DecodeRgba(File.ReadAllBytes(_tool.PathOf("out/" + name)));
            Assert.Equal((768, 432), (w, h));
        }
        Assert.False(File.Exists(_tool.PathOf("out/b.jpg")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(_tool.PathOf("out/.buildimages-manifest.json")));
        Assert.Equal(2, manifest.RootElement.GetProperty("cards").EnumerateObject().Count());
        // The next run tries the crashing file again (nothing vouches for it) and skips the others.
        var again = _tool.Run("optimize", "in", "out", "--preset", "ai-scene");
        Assert.Equal(1, again.Exit);
        Assert.Contains("skipped 2", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSandboxGivesTheBytesTheBuildMakesInProcessAndRestartsAfterACrash()
    {
        var tool = typeof(Cli).Assembly.Location;
        using var sandbox = PhotoSandbox.Of(tool, BuildCommand.PhotoSandboxCommand);
        var source = Jpeg(2000, 1500, 180);
        PhotoRequest[] requests = [new(new PhotoShape(null, 512, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.WebP, 80), null, 40), new(new PhotoShape(300, null, 1.0, PhotoCrop.Centre), new EncodeOptions(ImageFormat.Jpeg, 85), 20_000, 40)];
        var settings = new PhotoSettings();
        var inProcess = PhotoProcessor.ProcessAll(source, requests, settings);
        var sandboxed = sandbox.ProcessAll(source, requests, settings, null);
        Assert.Equal(inProcess.Outputs.Select(o => o.Bytes), sandboxed.Outputs.Select(o => o.Bytes));
        Assert.Equal((2000, 1500), (sandboxed.SourceWidth, sandboxed.SourceHeight));
        var crash = Assert.Throws<ImageRejectedException>(() => sandbox.ProcessAll([.. source, .. System.Text.Encoding.ASCII.GetBytes(Marker)], requests, settings, null));
        Assert.Contains("crashed", crash.Message, StringComparison.Ordinal);
        var refused = Assert.Throws<ImageRejectedException>(() => sandbox.ProcessAll([0xFF, 0xD8, 0xFF, 1, 2], requests, settings, null));
        Assert.DoesNotContain("crashed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(inProcess.Outputs[0].Bytes, sandbox.ProcessAll(source, requests, settings, null).Outputs[0].Bytes);
        Assert.Equal(1, sandbox.Crashed);
        Assert.Equal(2, sandbox.Started);
    }

    public void Dispose() => _tool.Dispose();
}
