using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Encoders;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Tool.Tests.Hostile;

/// <summary>
/// <c>kill -9</c> of a real 300-card build at several points (before the first manifest checkpoint, between
/// checkpoints, near the end): every output on disk decodes, the manifest parses, and the next build renders
/// exactly the outputs that are missing or that no manifest record vouches for (file present with the recorded
/// size and hash). Outputs are flushed in batches, so this also shows that an unflushed output is never trusted. Both
/// manifest formats: the JSON document (renamed over whole) and the database (changed rows in a transaction, whose
/// journal a kill may leave for the next build to roll back).
/// </summary>
[Trait("Category", "Slow")]
public sealed class KillTests(ITestOutputHelper log) : IDisposable
{
    private const int Cards = 300;
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    private string _manifest = "out/.buildimages-manifest.json";

    [Theory]
    [InlineData(".json")]
    [InlineData(".db")]
    public void AfterKill9AtAnyPointTheNextBuildRendersExactlyWhatIsMissingOrUnrecorded(string manifestExtension)
    {
        _manifest = "out/.buildimages-manifest" + manifestExtension;
        var items = Enumerable.Range(0, Cards).Select(i => new { slug = $"card-{i:D3}", title = $"Card {i}: a build that is killed part way" });
        File.WriteAllText(_tool.PathOf("items.json"), JsonSerializer.Serialize(items));
        File.WriteAllText(_tool.PathOf("buildimages.json"), $$$"""
            { "outputDir": "out", "manifest": "{{{_manifest}}}", "jobs": [ { "name": "cards", "template": "blog-post", "data": "items.json", "output": "og/{{ slug }}",
              "variants": [ { "format": "webp", "width": 600 }, { "format": "jpeg", "width": 400 } ] } ] }
            """);
        var all = Enumerable.Range(0, Cards).SelectMany(i => new[] { $"og/card-{i:D3}-600.webp", $"og/card-{i:D3}-400.jpg" }).ToHashSet(StringComparer.Ordinal);

        // Before any checkpoint; after a checkpoint with more written since; late in the build.
        var points = new Func<int, bool, bool>[] { (written, _) => written >= 20, (written, manifest) => manifest && written >= 160, (written, _) => written >= 420 };
        var round = 0;
        foreach (var point in points)
        {
            KillWhen(point);
            var vouched = CheckAfterKill(all);
            var rendered = BuildCopy($"round-{round++}");
            log.WriteLine($"round {round}: {Directory.EnumerateFiles(_tool.PathOf("out/og")).Count()} files on disk, {vouched.Count} vouched for by the manifest, {rendered.Length} rendered by the next build");
            Assert.Equal(all.Except(vouched).Order(StringComparer.Ordinal), rendered);
        }
        var last = new BatchBuilder(ConfigLoader.Load(_tool.PathOf("buildimages.json"))).Run();
        Assert.Equal(0, last.Failed);
        Assert.Equal(all.Count, last.Rendered + last.Skipped);
    }

    /// <summary>Starts the tool and kills it (SIGKILL) when the output folder holds enough finished files.</summary>
    private void KillWhen(Func<int, bool, bool> point)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll"), "build", "--parallel", "2", "--checkpoint", "0.3", "--quiet"])
        {
            WorkingDirectory = _tool.Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var og = _tool.PathOf("out/og");
        var manifest = _tool.PathOf(_manifest);
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var written = Directory.Exists(og) ? Directory.EnumerateFiles(og).Count(f => !f.EndsWith(".bi-tmp", StringComparison.Ordinal)) : 0;
            if (point(written, File.Exists(manifest)))
            {
                process.Kill();
                break;
            }
            Thread.Sleep(5);
        }
        Assert.True(process.WaitForExit(30_000));
        Assert.NotEqual(0, process.ExitCode);
    }

    /// <summary>Every output decodes and the manifest parses; returns the outputs a record vouches for.</summary>
    private HashSet<string> CheckAfterKill(HashSet<string> all)
    {
        var og = _tool.PathOf("out/og");
        foreach (var file in Directory.EnumerateFiles(og).Where(f => !f.EndsWith(".bi-tmp", StringComparison.Ordinal)))
        {
            var (_, width, height) = VariantEncoder.DecodeRgba(File.ReadAllBytes(file));
            Assert.True(width is 600 or 400 && height > 0, file);
        }
        var vouched = new HashSet<string>(StringComparer.Ordinal);
        var manifestFile = _tool.PathOf(_manifest);
        if (!File.Exists(manifestFile))
        {
            return vouched;
        }
        var (document, warnings) = new ManifestStore(manifestFile).Load();
        Assert.Empty(warnings);
        foreach (var variant in document.Cards.Values.SelectMany(c => c.Variants))
        {
            var file = Path.Combine(_tool.Dir, "out", variant.File);
            Assert.Contains(variant.Path, all);
            if (File.Exists(file) && new FileInfo(file).Length == variant.Bytes && Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))) == variant.Sha256)
            {
                vouched.Add(variant.Path);
            }
        }
        return vouched;
    }

    /// <summary>Builds a copy of the site as it was left, to completion, and returns what that build rendered.</summary>
    private string[] BuildCopy(string name)
    {
        var copy = _tool.PathOf(name);
        foreach (var file in Directory.EnumerateFiles(_tool.Dir, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(_tool.PathOf("round-"), StringComparison.Ordinal)))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(_tool.Dir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
        var report = new BatchBuilder(ConfigLoader.Load(Path.Combine(copy, "buildimages.json"))).Run();
        Assert.Equal(0, report.Failed);
        Assert.Equal(Cards * 2, report.Rendered + report.Skipped);
        return report.Outputs.Where(o => o.Status == OutputStatus.Rendered).Select(o => o.Path).Order(StringComparer.Ordinal).ToArray();
    }
}
