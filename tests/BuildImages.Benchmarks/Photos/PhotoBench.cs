using System.Diagnostics;
using System.Globalization;
using NetVips;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--photos N DIR PEERS [ROUNDS]</c>: N generated 3840×2160 JPEGs → the <c>web</c> and <c>ai-scene</c> presets, by
/// <c>dotnet build-images optimize</c> and by sharp doing the same work (PEERS: a folder whose node_modules holds
/// sharp, e.g. a copy of ../shared/bench after npm ci), alternating in one run, each a child process under
/// /usr/bin/time: wall, CPU, peak memory, output bytes. <c>BI_BENCH_PRESETS=ai-scene</c> (comma-separated) runs only those.
/// </summary>
internal static class PhotoBench
{
    internal static int Run(string[] args, TextWriter output)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var dir = Path.GetFullPath(args[1]);
        var peers = Path.GetFullPath(args[2]);
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        var sources = Path.Combine(dir, "src");
        Generate(sources, count);
        var tool = Path.Combine(BenchSupport.RepoRoot(), "src", "BuildImages.Tool", "bin", "Release", "net10.0", "dotnet-build-images.dll");
        var script = Path.Combine(BenchSupport.RepoRoot(), "tests", "BuildImages.Benchmarks", "Photos", "sharp-photos.mjs");
        output.WriteLine($"{count} photos 3840x2160 in {sources}; {Environment.ProcessorCount} cores");
        var presets = Environment.GetEnvironmentVariable("BI_BENCH_PRESETS") is { Length: > 0 } only ? only.Split(',', StringSplitOptions.TrimEntries) : ["ai-scene", "web"];
        foreach (var preset in presets)
        {
            for (var round = 0; round < rounds; round++)
            {
                var ours = Path.Combine(dir, $"ours-{preset}");
                var theirs = Path.Combine(dir, $"sharp-{preset}");
                Report(output, preset, "BuildImages", count, Measure("dotnet", [tool, "optimize", sources, ours, "--preset", preset, "--quiet"], ours, null));
                Report(output, preset, "sharp", count, Measure("node", [script, sources, theirs, preset, Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)], theirs, Path.Combine(peers, "node_modules")));
            }
        }
        return 0;
    }

    private static void Report(TextWriter output, string preset, string who, int count, (double Wall, double Cpu, long PeakKb, long Bytes, int Files) m) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{preset,-9} {who,-12} wall {m.Wall,7:0.00} s ({m.Wall * 1000 / count,6:0.0} ms/photo)  cpu {m.Cpu,7:0.00} s  peak {m.PeakKb / 1024.0,6:0} MB  {m.Files} files {m.Bytes / 1024.0 / 1024.0,8:0.0} MB"));

    /// <summary>Distinct noisy gradients, as camera JPEGs at q90 with an EXIF orientation of 1: made once and kept.</summary>
    private static void Generate(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var file = Path.Combine(folder, $"photo-{i:D4}.jpg");
            if (File.Exists(file))
            {
                return;
            }
            using var xyz = Image.Xyz(3840, 2160);
            using var r = (xyz[0] * (200.0 / 3840) + (i % 50)).Cast(Enums.BandFormat.Uchar);
            using var g = (xyz[1] * (200.0 / 2160) + (i % 37)).Cast(Enums.BandFormat.Uchar);
            using var b = Image.Gaussnoise(3840, 2160, sigma: 25, mean: 100 + (i % 60), seed: i).Cast(Enums.BandFormat.Uchar);
            using var rgb = r.Bandjoin(g, b).Copy(interpretation: Enums.Interpretation.Srgb);
            rgb.Jpegsave(file + ".tmp", q: 90);
            File.Move(file + ".tmp", file);
        });
    }

    private static (double Wall, double Cpu, long PeakKb, long Bytes, int Files) Measure(string program, string[] arguments, string outFolder, string? nodePath)
    {
        if (Directory.Exists(outFolder))
        {
            Directory.Delete(outFolder, recursive: true);
        }
        var timeFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = false };
        foreach (var a in (string[])["-f", "%e %U %S %M", "-o", timeFile, program, .. arguments])
        {
            start.ArgumentList.Add(a);
        }
        if (nodePath is not null)
        {
            start.Environment["NODE_PATH"] = nodePath;
        }
        using (var process = Process.Start(start)!)
        {
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} exited {process.ExitCode}");
            }
        }
        var parts = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
        File.Delete(timeFile);
        var images = Directory.EnumerateFiles(outFolder, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith("images.json", StringComparison.Ordinal)).ToList();
        double P(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return (P(0), P(1) + P(2), long.Parse(parts[3], CultureInfo.InvariantCulture), images.Sum(f => new FileInfo(f).Length), images.Count);
    }
}
