using System.Diagnostics;
using System.Text.Json;

namespace BuildImages.Tool.Tests.Hostile;

/// <summary>
/// SIGTERM (what CI runners and Kubernetes send) stops a build as Ctrl-C does: in-flight cards finish, and the
/// manifest, images.json and caches record every card written. Run as a real process: signals cannot be sent in-process.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task SigtermMidBuildRecordsEveryWrittenCardAndExits143()
    {
        var items = Enumerable.Range(0, 400).Select(i => new { slug = $"card-{i:D3}", title = $"Card number {i} of a long build" });
        File.WriteAllText(_tool.PathOf("items.json"), JsonSerializer.Serialize(items));
        File.WriteAllText(_tool.PathOf("buildimages.json"), """
            { "outputDir": "out", "jobs": [ { "name": "cards", "template": "blog-post", "data": "items.json", "output": "og/{{ slug }}",
              "variants": [ { "format": "webp" }, { "format": "jpeg", "width": 600 } ] } ] }
            """);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll"), "build", "--parallel", "2"])
        {
            WorkingDirectory = _tool.Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var rendered = 0;
        string? line;
        while ((line = process.StandardError.ReadLine()) is not null && (line.StartsWith("rendered ", StringComparison.Ordinal) ? ++rendered : rendered) < 6)
        {
        }
        Assert.True(rendered >= 6, "the build printed its first rendered lines");
        Assert.Equal(0, Kill(process.Id, "TERM"));
        var rest = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(143, process.ExitCode);
        Assert.DoesNotContain("Unhandled", rest, StringComparison.Ordinal);
        var metadata = _tool.PathOf("out/images.json");
        Assert.True(File.Exists(metadata), "images.json is written for what finished");
        using var manifest = JsonDocument.Parse(File.ReadAllText(_tool.PathOf("out/.buildimages-manifest.json")));
        var recorded = manifest.RootElement.GetProperty("cards").EnumerateObject()
            .SelectMany(c => c.Value.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("file").GetString()!))
            .Order(StringComparer.Ordinal).ToArray();
        var onDisk = Directory.GetFiles(_tool.PathOf("out/og")).Select(f => "og/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(onDisk);
        Assert.True(onDisk.Length < 800, "the build stopped early");
        Assert.Equal(onDisk, recorded);
        Assert.Empty(Directory.GetFiles(_tool.PathOf("out"), "*.bi-tmp", SearchOption.AllDirectories));
        Assert.Contains("card-", File.ReadAllText(metadata), StringComparison.Ordinal);
        await stdout;

        // The next build renders exactly what was not written.
        var next = _tool.Run("build");
        Assert.Equal(0, next.Exit);
        Assert.StartsWith($"rendered {800 - onDisk.Length}, skipped {onDisk.Length},", next.Out, StringComparison.Ordinal);
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
