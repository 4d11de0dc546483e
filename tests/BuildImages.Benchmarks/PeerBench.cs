using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--batch peer N DIR PEERS [ROUNDS] [PROFILE]</c>: the card of <c>../shared/bench</c> (its data, photo, logo and
/// Inter) as a BuildImages site in DIR, built cold with 2 workers, alternating in one run with the peers of the
/// set-up harness in PEERS (satori + resvg + sharp, sharp alone on satori's PNGs, Takumi encoding itself), each
/// at N cards and 2 in flight. Prints ms per card (wall), CPU ms per card and bytes per variant for every run,
/// then the medians and the ratios the encoder-floor issue asks for. PROFILE (default, fast, small) is the
/// site's <c>encoder</c> setting.
/// </summary>
internal static class PeerBench
{
    private static readonly string[] Variants = ["webp1200", "webp600", "jpeg1200", "jpeg600"];

    internal static int Run(string[] args, TextWriter o)
    {
        var count = int.Parse(args.ElementAtOrDefault(0) ?? "200", CultureInfo.InvariantCulture);
        var dir = Path.GetFullPath(args.ElementAtOrDefault(1) ?? Path.Combine(Path.GetTempPath(), "bi-peer"));
        var peers = Path.GetFullPath(args.ElementAtOrDefault(2) ?? throw new ArgumentException("usage: --batch peer N DIR PEERS [ROUNDS] [PROFILE]; PEERS is a copy of ../shared/bench after setup.sh"));
        var rounds = int.Parse(args.ElementAtOrDefault(3) ?? "2", CultureInfo.InvariantCulture);
        var profile = args.ElementAtOrDefault(4) ?? "default";
        if (!Directory.Exists(Path.Combine(peers, "node_modules")))
        {
            o.WriteLine($"{peers} is not a set-up harness: copy ../shared/bench there and run its setup.sh");
            return 2;
        }
        if (!File.Exists(Path.Combine(peers, "data", "cards.json")))
        {
            Node(peers, "bench/gen-data.mjs");
        }
        var results = new List<Result>();
        for (var round = 1; round <= rounds; round++)
        {
            results.Add(Ours(dir, peers, count, profile));
            if (Environment.GetEnvironmentVariable("BI_BENCH_OURS_ONLY") == "1")
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} buildimages {results[^1].WallMs / count:0.0} ms/card wall, {results[^1].CpuMs / count:0.0} ms/card CPU; {results[^1].Detail}"));
                continue;
            }
            results.Add(Peer(peers, "satori", $"bench/satori.mjs --n {count} --c 2 --out out/bi-satori"));
            results.Add(Peer(peers, "sharp-only", $"bench/sharp-only.mjs --n {count} --c 2 --src out/bi-satori --out out/bi-sharp"));
            results.Add(Peer(peers, "takumi", $"bench/takumi.mjs --pipe b --n {count} --c 2 --out out/bi-takumi"));
            foreach (var r in results.TakeLast(4))
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {r.Tool,-11} {r.WallMs / r.Cards,7:0.0} ms/card wall, {r.CpuMs / r.Cards,7:0.0} ms/card CPU, bytes {string.Join(" ", Variants.Select(v => $"{v} {r.Bytes.GetValueOrDefault(v)}"))}"));
                if (r.Detail is not null)
                {
                    o.WriteLine("  " + r.Detail);
                }
            }
        }
        if (Environment.GetEnvironmentVariable("BI_BENCH_OURS_ONLY") == "1")
        {
            return 0;
        }
        double Median(string tool) => BenchSupport.Median(results.Where(r => r.Tool == tool).Select(r => r.WallMs / r.Cards));
        double MedianCpu(string tool) => BenchSupport.Median(results.Where(r => r.Tool == tool).Select(r => r.CpuMs / r.Cards));
        var ours = Median("buildimages");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median ms/card wall (CPU): buildimages {ours:0.0} ({MedianCpu("buildimages"):0.0}), satori {Median("satori"):0.0} ({MedianCpu("satori"):0.0}), sharp-only {Median("sharp-only"):0.0} ({MedianCpu("sharp-only"):0.0}), takumi {Median("takumi"):0.0} ({MedianCpu("takumi"):0.0})"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratios: buildimages/satori {ours / Median("satori"):0.00}, buildimages/sharp-only {ours / Median("sharp-only"):0.00}, buildimages/takumi {ours / Median("takumi"):0.00}"));
        var last = results.Last(r => r.Tool == "buildimages");
        foreach (var peer in new[] { "sharp-only", "takumi" })
        {
            var theirs = results.Last(r => r.Tool == peer);
            o.WriteLine($"bytes against {peer}: " + string.Join(", ", Variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v} {100.0 * last.Bytes.GetValueOrDefault(v) / Math.Max(1, theirs.Bytes.GetValueOrDefault(v)) - 100:+0.0;-0.0}%"))));
        }
        return 0;
    }

    private sealed record Result(string Tool, int Cards, double WallMs, double CpuMs, Dictionary<string, long> Bytes)
    {
        internal string? Detail { get; init; }
    }

    /// <summary>One cold build of the peer site in this process (the native stack stays loaded between rounds, as in a long-lived host; the first round pays it).</summary>
    private static Result Ours(string dir, string peers, int count, string profile)
    {
        MakeSite(dir, peers, count, profile);
        var config = ConfigLoader.Load(Path.Combine(dir, "buildimages.json"));
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var report = new BatchBuilder(config, new BuildOptions { Parallelism = 2 }).Run();
        wall.Stop();
        self.Refresh();
        if (report.Failed > 0 || report.Rendered != count * 4)
        {
            throw new InvalidOperationException($"the peer site rendered {report.Rendered} outputs, failed {report.Failed}: " + string.Join("; ", report.Errors.Select(e => e.Message)));
        }
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var output in report.Outputs)
        {
            var key = (output.Format == "image/webp" ? "webp" : "jpeg") + output.Width.ToString(CultureInfo.InvariantCulture);
            bytes[key] = bytes.GetValueOrDefault(key) + output.Bytes;
        }
        return new Result("buildimages", count, wall.Elapsed.TotalMilliseconds, (self.TotalProcessorTime - cpu).TotalMilliseconds, bytes)
        {
            Detail = "stages ms/card (summed over workers): " + string.Join(", ", report.Stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value / count:0.00}"))),
        };
    }

    private static Result Peer(string peers, string tool, string arguments)
    {
        var line = Node(peers, arguments).Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{tool} printed no RESULT line");
        var json = JsonNode.Parse(line["RESULT ".Length..])!;
        var bytes = json["bytes"]!.AsObject().Where(p => Variants.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value!.GetValue<long>(), StringComparer.Ordinal);
        return new Result(tool, json["n"]!.GetValue<int>(), json["wall_s"]!.GetValue<double>() * 1000, json["node_cpu_s"]!.GetValue<double>() * 1000, bytes);
    }

    private static string Node(string peers, string arguments)
    {
        var start = new ProcessStartInfo("node", arguments) { WorkingDirectory = peers, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {arguments} exited with {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    /// <summary>The peer card's site: the harness's first N cards, photo and logo; Inter from the repository's pinned fonts; the four outputs of the harness.</summary>
    private static void MakeSite(string dir, string peers, int count, string profile)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var repo = BenchSupport.RepoRoot();
        Directory.CreateDirectory(Path.Combine(dir, "fonts"));
        foreach (var font in Directory.EnumerateFiles(Path.Combine(repo, "tests", "Fonts", "pinned"), "Inter-*.otf"))
        {
            File.Copy(font, Path.Combine(dir, "fonts", Path.GetFileName(font)));
        }
        File.Copy(Path.Combine(repo, "tests", "BuildImages.Benchmarks", "Peer", "card.sbn"), Path.Combine(dir, "card.sbn"));
        File.Copy(Path.Combine(peers, "data", "bg.jpg"), Path.Combine(dir, "bg.jpg"));
        File.Copy(Path.Combine(peers, "data", "logo.png"), Path.Combine(dir, "logo.png"));
        var cards = JsonNode.Parse(File.ReadAllText(Path.Combine(peers, "data", "cards.json")))!.AsArray();
        File.WriteAllText(Path.Combine(dir, "cards.json"), new JsonArray([.. cards.Take(count).Select(c => c!.DeepClone())]).ToJsonString());
        var encoder = profile == "default" ? string.Empty : $"\"encoder\": {JsonSerializer.Serialize(profile)},";
        File.WriteAllText(Path.Combine(dir, "buildimages.json"), $$$"""
            {
              "outputDir": "out", "fonts": ["fonts"], "tags": false, {{{encoder}}}
              "jobs": [ {
                "name": "peer", "template": "card.sbn", "size": "1200x630", "data": "cards.json", "output": "{{ id }}",
                "variants": [
                  { "format": "webp", "width": 1200, "quality": 80 }, { "format": "webp", "width": 600, "quality": 80 },
                  { "format": "jpeg", "width": 1200, "quality": 82 }, { "format": "jpeg", "width": 600, "quality": 82 }
                ]
              } ]
            }
            """);
    }
}
