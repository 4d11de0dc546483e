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

    public PhotoSandboxTests() => Environment.SetEnvironmentVariable(PhotoSandbox.CrashMarkerVariable, Marker);

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
        Write("in/good.jpg", source);
        Write("in/crash.jpg", [.. source, .. System.Text.Encoding.ASCII.GetBytes(Marker)]);
        Write("in/cut.jpg", [0xFF, 0xD8, 0xFF, 1, 2]);
        PhotoRequest[] requests = [new(new PhotoShape(null, 512, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.WebP, 80), null, 40), new(new PhotoShape(300, null, 1.0, PhotoCrop.Centre), new EncodeOptions(ImageFormat.Jpeg, 85), 20_000, 40)];
        var settings = new PhotoSettings();
        var inProcess = PhotoProcessor.ProcessAll(source, requests, settings);
        var sandboxed = sandbox.ProcessAll(PhotoFile.Now(_tool.PathOf("in/good.jpg")), requests, settings, null);
        Assert.Equal(inProcess.Outputs.Select(o => o.Bytes), sandboxed.Outputs.Select(o => o.Bytes));
        Assert.Equal((2000, 1500), (sandboxed.SourceWidth, sandboxed.SourceHeight));
        var crash = Assert.Throws<ImageRejectedException>(() => sandbox.ProcessAll(PhotoFile.Now(_tool.PathOf("in/crash.jpg")), requests, settings, null));
        Assert.Contains("crashed", crash.Message, StringComparison.Ordinal);
        var refused = Assert.Throws<ImageRejectedException>(() => sandbox.ProcessAll(PhotoFile.Now(_tool.PathOf("in/cut.jpg")), requests, settings, null));
        Assert.DoesNotContain("crashed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(inProcess.Outputs[0].Bytes, sandbox.ProcessAll(PhotoFile.Now(_tool.PathOf("in/good.jpg")), requests, settings, null).Outputs[0].Bytes);
        Assert.Equal(1, sandbox.Crashed);
        Assert.Equal(2, sandbox.Started);
    }

    [Fact]
    public void AFileChangedOrGoneSinceItWasHashedIsAnErrorNamingItAndTheChildStaysUp()
    {
        var tool = typeof(Cli).Assembly.Location;
        using var sandbox = PhotoSandbox.Of(tool, BuildCommand.PhotoSandboxCommand);
        Write("in/photo.jpg", Jpeg(800, 600, 90));
        var path = _tool.PathOf("in/photo.jpg");
        var hashed = PhotoFile.Now(path);
        PhotoRequest[] requests = [new(new PhotoShape(null, 256, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.Jpeg, 85), null, 40)];
        var settings = new PhotoSettings();
        var first = sandbox.ProcessAll(hashed, requests, settings, null).Outputs[0];
        Assert.Equal((256, 192), (first.Width, first.Height));
        // Written again after its hash was taken: the same size, a later write time.
        File.SetLastWriteTimeUtc(path, new DateTime(hashed.ModifiedTicks, DateTimeKind.Utc).AddSeconds(5));
        using var inProcess = InProcess();
        foreach (var processing in new IPhotoProcessing[] { sandbox, inProcess })
        {
            var changed = Assert.ThrowsAny<IOException>(() => processing.ProcessAll(hashed, requests, settings, null));
            Assert.Contains(path, changed.Message, StringComparison.Ordinal);
            Assert.Contains("changed while the build was reading it", changed.Message, StringComparison.Ordinal);
            var gone = Assert.ThrowsAny<IOException>(() => processing.ProcessAll(hashed with { Path = path + ".gone" }, requests, settings, null));
            Assert.Contains(path + ".gone", gone.Message, StringComparison.Ordinal);
        }
        // Neither was a crash: the one child answered them all.
        Assert.Equal(0, sandbox.Crashed);
        Assert.Equal(1, sandbox.Started);
        Assert.Equal(256, sandbox.ProcessAll(PhotoFile.Now(path), requests, settings, null).Outputs[0].Width);
    }

    /// <summary>A sandbox whose children cannot start works in process: the same reading of the file, without a child.</summary>
    private static PhotoSandbox InProcess() => new(() => new System.Diagnostics.ProcessStartInfo("/nonexistent/buildimages-sandbox") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true });

    public void Dispose() => _tool.Dispose();
}
