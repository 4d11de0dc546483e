using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetVips;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--photo-mutations N [SEED]</c>: N damaged photos (JPEG, PNG, WebP, GIF, TIFF and AVIF made from the sample's
/// photos, then truncated or with bytes changed, mostly in their first KB where the headers are) in one folder,
/// right-sized by the built tool (<c>optimize IN OUT --preset web --report FILE</c>, the photo sandbox on) in one run.
/// The run must end with exit code 1 (errors reported), every photo must have its outputs or an error naming it with
/// a code other than BI0009, and nothing may be left half-written. A crash of the tool itself (a codec taking the
/// build down instead of its sandboxed child) or a BI0009 is a bug. Prints the count of each outcome and the sandbox's
/// crashes as the report counts them; exits 1 when any is a bug.
/// </summary>
internal static class PhotoMutationRun
{
    internal static int Run(string[] args, TextWriter o)
    {
        var count = int.Parse(args.ElementAtOrDefault(0) ?? "300", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(args.ElementAtOrDefault(1) ?? "1", CultureInfo.InvariantCulture));
        var repo = BenchSupport.RepoRoot();
        var tool = Path.Combine(repo, "src", "BuildImages.Tool", "bin", "Release", "net10.0", "dotnet-build-images.dll");
        var root = Directory.CreateTempSubdirectory("bi-photo-mutations-").FullName;
        var sources = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        var seeds = Seeds(repo);
        for (var i = 0; i < count; i++)
        {
            var (extension, original) = seeds[random.Next(seeds.Count)];
            var bytes = original.ToArray();
            if (random.Next(3) == 0)
            {
                bytes = bytes[..random.Next(1, bytes.Length)];
            }
            for (var f = random.Next(1, 10); f > 0; f--)
            {
                bytes[random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 1024)) : random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            File.WriteAllBytes(Path.Combine(sources, $"p{i:D4}{extension}"), bytes);
        }
        var output = Path.Combine(root, "out");
        var report = Path.Combine(root, "report.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { tool, "optimize", sources, output, "--preset", "web", "--report", report, "--quiet" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var bugs = new List<string>();
        if (process.ExitCode != 1)
        {
            bugs.Add($"the tool exited {process.ExitCode} (1 expected: some photos fail): {stderr.Result}");
        }
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (File.Exists(report))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(report));
            var errors = doc.RootElement.GetProperty("errors").EnumerateArray().ToList();
            var outputs = doc.RootElement.GetProperty("outputs").EnumerateArray().ToList();
            foreach (var photo in Directory.GetFiles(sources).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var stem = Path.GetFileNameWithoutExtension(photo)!;
                var error = errors.FirstOrDefault(e => (e.GetProperty("file").GetString() ?? string.Empty).EndsWith(photo!, StringComparison.Ordinal) || (e.GetProperty("item").GetString() ?? string.Empty).Contains(stem, StringComparison.Ordinal));
                var written = outputs.Count(e => Path.GetFileName(e.GetProperty("path").GetString()!).StartsWith(stem + "-", StringComparison.Ordinal) && e.GetProperty("status").GetString() is "rendered" or "Rendered");
                var outcome = error.ValueKind == JsonValueKind.Object ? "error " + error.GetProperty("code").GetString() : written > 0 ? "right-sized" : "nothing said";
                if (outcome is "nothing said" or "error BI0009")
                {
                    bugs.Add($"{photo}: {outcome}{(error.ValueKind == JsonValueKind.Object ? " " + error.GetProperty("message").GetString() : string.Empty)}");
                }
                outcomes[$"{Path.GetExtension(photo)}: {outcome}"] = outcomes.GetValueOrDefault($"{Path.GetExtension(photo)}: {outcome}") + 1;
            }
        }
        else
        {
            bugs.Add("no report was written");
        }
        var leftovers = Directory.Exists(output) ? Directory.GetFiles(output, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).Contains(".tmp", StringComparison.Ordinal)).ToList() : [];
        bugs.AddRange(leftovers.Select(f => "left half-written: " + f));
        foreach (var (key, n) in outcomes)
        {
            o.WriteLine($"{n,5}  {key}");
        }
        foreach (var bug in bugs)
        {
            o.WriteLine("bug: " + bug);
        }
        o.WriteLine($"{count} damaged photos, tool exit {process.ExitCode}, {bugs.Count} bugs");
        if (bugs.Count == 0)
        {
            Directory.Delete(root, recursive: true);
        }
        else
        {
            o.WriteLine($"kept to reproduce: {root}");
        }
        return bugs.Count == 0 ? 0 : 1;
    }

    /// <summary>The sample's two JPEGs, and the first also as PNG, WebP, GIF, TIFF and AVIF.</summary>
    private static List<(string Extension, byte[] Bytes)> Seeds(string repo)
    {
        BuildImages.Core.Native.NativeStack.EnsureLoaded();
        var dusk = File.ReadAllBytes(Path.Combine(repo, "samples", "photo", "assets", "dusk.jpg"));
        using var image = Image.NewFromBuffer(dusk);
        return
        [
            (".jpg", dusk),
            (".jpg", File.ReadAllBytes(Path.Combine(repo, "samples", "event", "assets", "speaker.jpg"))),
            (".png", image.PngsaveBuffer()),
            (".webp", image.WebpsaveBuffer()),
            (".gif", image.GifsaveBuffer()),
            (".tif", image.TiffsaveBuffer()),
            (".avif", image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, effort: 0)),
        ];
    }
}
