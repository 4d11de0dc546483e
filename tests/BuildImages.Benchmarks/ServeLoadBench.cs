using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--serve DIR [RENDERS]</c>: the hook server under load, on loopback. Starts the Release tool's <c>serve</c> as a
/// child process over a fresh site (the built-in blog-post template, one WebP variant) and, with a .NET client:
/// 2,000 hooks for 200 distinct cards at 64 in flight (expects exactly 200 renders); 500 hooks for one new card at
/// once (expects 1); 2,000 GETs of rendered cards at 64 in flight (cache hits); then RENDERS distinct renders
/// (default 10,000), printing the server's resident memory every tenth of them. Renders are counted by the server's
/// own /metrics. Every response is checked: status 200, the item asked for, one file.
/// </summary>
internal static class ServeLoadBench
{
    private const string Token = "bench-token";

    internal static int Run(string[] args, TextWriter o)
    {
        var dir = Path.GetFullPath(args.ElementAtOrDefault(0) ?? "/tmp/bi-serve");
        var renders = int.Parse(args.ElementAtOrDefault(1) ?? "10000", CultureInfo.InvariantCulture);
        var tool = Path.Combine(BenchSupport.RepoRoot(), "src/BuildImages.Tool/bin/Release/net10.0/dotnet-build-images.dll");
        if (!File.Exists(tool))
        {
            o.WriteLine($"build the tool first: dotnet build src/BuildImages.Tool -c Release ({tool} is missing)");
            return 2;
        }
        MakeSite(dir);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { tool, "serve", "--config", Path.Combine(dir, "buildimages.json"), "--urls", $"http://127.0.0.1:{port}", "--queue", "5000" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["BUILDIMAGES_HOOK_TOKEN"] = Token;
        using var server = Process.Start(start)!;
        server.ErrorDataReceived += (_, e) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            WaitHealthy(http);
            o.WriteLine($"server pid {server.Id}, {Environment.ProcessorCount} cores; RSS at start {Rss(server.Id)} MB");
            var distinct = Enumerable.Range(0, 200).SelectMany(i => Enumerable.Repeat(i, 10)).OrderBy(_ => Random.Shared.Next()).ToList();
            var before = Renders(http);
            var burst = Load(http, distinct.Select(i => Hook($"card-{i}", $"Card number {i}")).ToList(), 64, o, "2,000 hooks, 200 distinct cards, 64 in flight");
            o.WriteLine($"  renders counted by the server: {Renders(http) - before} (expected 200)");
            before = Renders(http);
            Load(http, Enumerable.Repeat(0, 500).Select(_ => Hook("one-new-card", "Everyone asks at once")).ToList(), 500, o, "500 hooks for one new card at once");
            o.WriteLine($"  renders counted by the server: {Renders(http) - before} (expected 1)");
            var gets = Enumerable.Range(0, 2000).Select(i => (Func<HttpRequestMessage>)(() => new HttpRequestMessage(HttpMethod.Get, $"/cards/cards/og/card-{i % 200}.webp"))).ToList();
            Load(http, gets.Select(g => (g, (string?)null)).ToList(), 64, o, "2,000 GETs of rendered cards, 64 in flight");
            o.WriteLine();
            o.WriteLine($"{renders:N0} distinct renders, 64 in flight; server RSS (MB) every {renders / 10:N0}:");
            var clock = Stopwatch.StartNew();
            var series = new List<string>();
            for (var step = 0; step < 10; step++)
            {
                var batch = Enumerable.Range(step * (renders / 10), renders / 10).Select(i => Hook($"mem-{i}", $"Memory card {i} with a title long enough to wrap once")).ToList();
                Load(http, batch, 64, TextWriter.Null, "");
                series.Add($"{(step + 1) * (renders / 10)}: {Rss(server.Id)}");
            }
            o.WriteLine("  " + string.Join(", ", series));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {renders / clock.Elapsed.TotalSeconds:0.0} renders/s; renders counted: {Renders(http)}"));
            return burst;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static (Func<HttpRequestMessage> Make, string? Id) Hook(string slug, string title) =>
        (() =>
        {
            var body = new JsonObject { ["slug"] = slug, ["title"] = title, ["description"] = "Rendered by the hook server under load.", ["site"] = "Load test" }.ToJsonString();
            var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/cards") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            return request;
        }, slug);

    /// <summary>Sends every request with at most <paramref name="inFlight"/> at once; prints latency by outcome; returns the failures.</summary>
    private static int Load(HttpClient http, List<(Func<HttpRequestMessage> Make, string? Id)> requests, int inFlight, TextWriter o, string title)
    {
        var gate = new SemaphoreSlim(inFlight);
        var results = new (double Ms, string Outcome)[requests.Count];
        var bad = 0;
        var clock = Stopwatch.StartNew();
        var tasks = requests.Select(async (r, i) =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(r.Make()).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                var outcome = "get";
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref bad);
                    outcome = $"http {(int)response.StatusCode}";
                }
                else if (r.Id is not null)
                {
                    var item = JsonNode.Parse(body)!["items"]![0]!;
                    var ok = item["id"]!.GetValue<string>() == r.Id && item["files"]!.AsArray().Count == 1;
                    if (!ok)
                    {
                        Interlocked.Increment(ref bad);
                    }
                    outcome = !ok ? "wrong" : item["coalesced"]!.GetValue<bool>() ? "coalesced" : item["status"]!.GetValue<string>();
                }
                results[i] = (ms, outcome);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        Task.WaitAll(tasks);
        var wall = clock.Elapsed.TotalSeconds;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {requests.Count / wall:0} requests/s over {wall:0.00} s, {bad} not correct"));
        foreach (var group in results.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ms = group.Select(g => g.Ms).ToList();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-10} {ms.Count,5}  p50 {BenchSupport.Percentile(ms, 0.5),7:0.0} ms  p99 {BenchSupport.Percentile(ms, 0.99),7:0.0} ms"));
        }
        return bad;
    }

    private static long Renders(HttpClient http)
    {
        var text = http.GetStringAsync("/metrics").GetAwaiter().GetResult();
        var line = text.Split('\n').First(l => l.StartsWith("buildimages_renders_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    internal static void WaitHealthy(HttpClient http)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (http.GetAsync("/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        throw new InvalidOperationException("the server did not start");
    }

    internal static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static void MakeSite(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(dir, "content"));
        File.WriteAllText(Path.Combine(dir, "content", "posts.json"), "[]");
        File.WriteAllText(Path.Combine(dir, "buildimages.json"), """
            {
              "outputDir": "wwwroot",
              "baseUrl": "https://example.com/",
              "jobs": [ { "name": "cards", "template": "blog-post", "data": "content/posts.json", "output": "og/{{ slug }}", "variants": [ { "format": "webp", "quality": 80 } ] } ]
            }
            """);
    }
}
