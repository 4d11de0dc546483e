using Xunit.Abstractions;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BuildImages.Core.Caching;
using BuildImages.TestSupport;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>
/// Two hook server replicas behind nginx configured as samples/hook/nginx-front.conf ships (only the ports and the
/// cache folder replaced), sharing a remote cache (nginx WebDAV): identical hooks render once, a card one replica
/// rendered the other fetches, and with one replica gone the other answers every request.
/// </summary>
public sealed class ReplicaFrontTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("replica-front-secret");
    private readonly ToolRun[] _sites = [new(), new()];
    private readonly List<HookServer> _replicas = [];
    private Nginx? _cache;
    private Nginx? _front;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _cache = new Nginx((dir, port) =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "cache"));
            return $$"""
                server { listen 127.0.0.1:{{port}};
                  location /cache/ { root {{dir}}; dav_methods PUT; create_full_put_path on; dav_access user:rw group:rw all:rw; client_max_body_size 64m; } }
                """;
        });
        foreach (var site in _sites)
        {
            Assert.Equal(0, site.Run("init", "--template", "blog-post").Exit);
            // Cards not on disk are rendered when asked for (GET /cards), as a replica that never saw the hook must.
            var config = JsonNode.Parse(await File.ReadAllTextAsync(site.PathOf("buildimages.json")))!.AsObject();
            config["hooks"] = JsonNode.Parse("""{ "blog-post": { "onDemand": true } }""");
            await File.WriteAllTextAsync(site.PathOf("buildimages.json"), config.ToJsonString());
        }
        await StartReplicas(null);
        var sample = await File.ReadAllTextAsync(Path.Combine(ToolRun.RepoRoot, "samples", "hook", "nginx-front.conf"));
        _front = new Nginx((dir, port) => sample
            .Replace("server 127.0.0.1:5081", "server " + new Uri(_replicas[0].Addresses[0]).Authority, StringComparison.Ordinal)
            .Replace("server 127.0.0.1:5082", "server " + new Uri(_replicas[1].Addresses[0]).Authority, StringComparison.Ordinal)
            .Replace("listen 127.0.0.1:8080", $"listen 127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("proxy_cache_path cards-cache", $"proxy_cache_path {dir}/cards-cache", StringComparison.Ordinal));
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_front.Port}") };
    }

    /// <summary>(Re)starts both replicas on the sites, sharing the cache and, when given, a render lock.</summary>
    private async Task StartReplicas(IRenderLock? renderLock)
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        _replicas.Clear();
        foreach (var site in _sites)
        {
            _replicas.Add(await HookServer.StartAsync(new ServeOptions
            {
                ConfigFile = site.PathOf("buildimages.json"),
                Urls = ["http://127.0.0.1:0"],
                Auth = new HookAuth(Secret, null, null),
                RemoteCache = new RemoteCacheOptions { Url = new Uri($"http://127.0.0.1:{_cache!.Port}/cache"), RenderLock = renderLock },
                // Shown with a failing test (a replica that waited out a lock says so); a line after the test ended is dropped.
                Log = line =>
                {
                    try
                    {
                        output.WriteLine(line);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                },
            }));
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _front?.Dispose();
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        _cache?.Dispose();
        foreach (var site in _sites)
        {
            site.Dispose();
        }
    }

    private static HttpRequestMessage Publish(string body) => HookServerTestBase.Signed(Secret, HttpMethod.Post, "/hooks/blog-post", body);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(text) : null);
        }
    }

    [Fact]
    public async Task FiveHundredIdenticalHooksThroughTheFrontRenderTheCardOnce()
    {
        const string body = """{ "slug": "burst", "title": "Everyone saves at once" }""";
        using var gate = new SemaphoreSlim(50);
        var answers = await Task.WhenAll(Enumerable.Range(0, 500).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await Send(Publish(body));
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.NotEqual("failed", a.Body!["items"]![0]!["status"]!.GetValue<string>()));
        // One card's three outputs, rendered once over both replicas.
        Assert.Equal(3, _replicas.Sum(r => r.Metrics.Renders));
    }

    [Fact]
    public async Task ACardOneReplicaRenderedTheOtherFetchesFromTheCache()
    {
        // Straight to each replica (not through the front, which would pick one): the first renders on demand,
        // the second finds the card's outputs in the remote cache.
        using var first = new HttpClient { BaseAddress = new Uri(_replicas[0].Addresses[0]) };
        using var second = new HttpClient { BaseAddress = new Uri(_replicas[1].Addresses[0]) };

        var drawn = await first.GetByteArrayAsync("/cards/og/kafka-road.webp");
        var fetched = await second.GetByteArrayAsync("/cards/og/kafka-road.webp");

        Assert.Equal(drawn, fetched);
        Assert.True(_replicas[0].Metrics.Renders > 0, "the first replica rendered");
        Assert.Equal(0, _replicas[1].Metrics.Renders);
        Assert.True(_replicas[1].Metrics.Fetches > 0, "the second replica fetched");
    }

    [Fact]
    public async Task WithTheRedisLockTwoReplicasAskedForOneNewCardAtOnceRenderItOnce()
    {
        using var redis = new RedisServer();
        // 15 s a command, not the lock's 2 s: this test process's other tests can keep the pool, on which the client
        // reads replies, busy past 2 s, and a lock that times out lets both replicas draw.
        using var renderLock = RedisRenderLock.Connect($"127.0.0.1:{redis.Port}", maxWait: TimeSpan.FromSeconds(30), commandTimeout: TimeSpan.FromSeconds(15));
        await StartReplicas(renderLock);
        using var first = new HttpClient { BaseAddress = new Uri(_replicas[0].Addresses[0]) };
        using var second = new HttpClient { BaseAddress = new Uri(_replicas[1].Addresses[0]) };

        // Straight to each replica, at once (no front to send both to one): the lock lets one draw, the other waits and fetches.
        var answers = await Task.WhenAll(
            first.SendAsync(Publish("""{ "slug": "at-once", "title": "Both replicas asked at once" }""")),
            second.SendAsync(Publish("""{ "slug": "at-once", "title": "Both replicas asked at once" }""")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(3, _replicas.Sum(r => r.Metrics.Renders));
        Assert.Equal(3, _replicas.Sum(r => r.Metrics.Fetches));
        foreach (var path in new[] { "og/at-once.webp", "og/at-once.jpg", "og/at-once-600.webp" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(_sites[0].PathOf("wwwroot/" + path)), await File.ReadAllBytesAsync(_sites[1].PathOf("wwwroot/" + path)));
        }
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task WithOneReplicaGoneTheOtherAnswersEveryRequest()
    {
        await _replicas[0].DisposeAsync();
        _replicas.RemoveAt(0);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Send(Publish($$"""{ "slug": "item-{{i}}", "title": "Item {{i}}" }"""))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(20 * 3, _replicas[0].Metrics.Renders);
    }
}
