using System.Text.Json.Nodes;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>A pipe where a data file, an image or a photo should be fails that input; it never hangs the build.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int mode);

    [Fact]
    public async Task APipeAsADataFileAnImageAndAPhotoFailsEachAndTheRestRenders()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        Directory.CreateDirectory(Path.Combine(_site.Root, "photos"));
        Assert.Equal(0, MakeFifo(Path.Combine(_site.Root, "more.json"), 0x1A4));
        Assert.Equal(0, MakeFifo(Path.Combine(_site.Root, "assets", "pipe.png"), 0x1A4));
        Assert.Equal(0, MakeFifo(Path.Combine(_site.Root, "photos", "pipe.jpg"), 0x1A4));
        _site.Items.Add(BuildFixture.Item("piped", "Its logo is a pipe", logo: "assets/pipe.png"));
        _site.Config["jobs"]!.AsArray().Add(JsonNode.Parse("""{ "name": "more", "template": "tpl/plain", "size": "200x100", "data": "more.json", "output": "more/{{ slug }}", "variants": [ { "format": "png" } ] }"""));
        _site.Config["jobs"]!.AsArray().Add(JsonNode.Parse("""{ "name": "photos", "kind": "photos", "sources": "photos/*.jpg", "output": "img", "variants": [ { "format": "jpeg", "width": 64 } ] }"""));
        _site.Save();

        var report = await Task.Run(() => _site.Build()).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Contains(report.Errors, e => e.Code == "BI0011" && e.File!.EndsWith("more.json", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Item == "cards/piped" && e.Message.Contains("not a regular file", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Item == "photos/pipe.jpg" && e.Message.Contains("not a regular file", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_site.Site, "og", "alpha.webp")));
    }
}
