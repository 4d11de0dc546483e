using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BuildImages.Core.Encoders;
using BuildImages.Core.Output;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>The hook server on a real Kestrel at 127.0.0.1, port 0, over an init'd blog-post site.</summary>
public sealed class HookServerTests() : HookServerTestBase("test-secret-\u00e9"u8.ToArray(), null)
{
    [Fact]
    public async Task ASignedHookRendersAnswersTheFilesAndServesThemWithTheirKeyAsETag()
    {
        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "hook-post", "title": "Published a moment ago" }"""));
        Assert.Equal(HttpStatusCode.OK, status);
        var item = body["items"]![0]!;
        Assert.Equal("rendered", item["status"]!.GetValue<string>());
        var files = item["files"]!.AsArray();
        Assert.Equal(["og/hook-post-600.webp", "og/hook-post.jpg", "og/hook-post.webp"], files.Select(f => f!["path"]!.GetValue<string>()));
        var webp = files.Single(f => f!["path"]!.GetValue<string>() == "og/hook-post.webp")!;
        var onDisk = await File.ReadAllBytesAsync(Tool.PathOf("wwwroot/og/hook-post.webp"));
        var (_, w, h) = VariantEncoder.DecodeRgba(onDisk);
        Assert.Equal((1200, 630), (w, h));
        // The URL images.json gives the file (with its ?v= hash), and the server's own path for it.
        using (var images = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Tool.PathOf("wwwroot/images.json"))))
        {
            var listed = images.RootElement.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("variants").EnumerateArray()).Select(v => v.GetProperty("url").GetString()).ToList();
            Assert.Contains(webp["url"]!.GetValue<string>(), listed);
        }
        Assert.StartsWith("https://example.com/og/hook-post.webp?v=", webp["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/cards/og/hook-post.webp", webp["card"]!.GetValue<string>());
        using (var qualified = await Http.GetAsync("/cards/blog-post/og/hook-post.webp"))
        {
            Assert.Equal(HttpStatusCode.OK, qualified.StatusCode);
        }

        using var card = await Http.GetAsync(webp["card"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.Equal("image/webp", card.Content.Headers.ContentType!.MediaType);
        Assert.Equal(onDisk, await card.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{webp["key"]!.GetValue<string>()}\"", card.Headers.ETag!.Tag);
        using var again = new HttpRequestMessage(HttpMethod.Get, webp["card"]!.GetValue<string>());
        again.Headers.IfNoneMatch.Add(card.Headers.ETag);
        using var notModified = await Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, webp["card"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(onDisk.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // The same entry again is found current: skipped, not rendered.
        var (_, second) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "hook-post", "title": "Published a moment ago" }"""));
        Assert.Equal("skipped", second["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(3, Server!.Metrics.Renders);
        Assert.Contains("hook-post", await File.ReadAllTextAsync(Tool.PathOf("wwwroot/images.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad-signature")]
    [InlineData("no-signature")]
    [InlineData("oversized")]
    [InlineData("deep")]
    [InlineData("no-slug")]
    [InlineData("unknown-job")]
    public async Task ARefusedHookGetsIts4xxAndWritesNothing(string kind)
    {
        var good = """{ "slug": "x", "title": "x" }""";
        var (request, expected) = kind switch
        {
            "bad-signature" => (Signed(HttpMethod.Post, "/hooks/blog-post", good, otherSecret: "wrong"u8.ToArray()), HttpStatusCode.Unauthorized),
            "no-signature" => (new HttpRequestMessage(HttpMethod.Post, "/hooks/blog-post") { Content = new StringContent(good) }, HttpStatusCode.Unauthorized),
            "oversized" => (Signed(HttpMethod.Post, "/hooks/blog-post", $$"""{ "slug": "x", "title": "{{new string('a', 5000)}}" }"""), HttpStatusCode.RequestEntityTooLarge),
            "deep" => (Signed(HttpMethod.Post, "/hooks/blog-post", new string('[', 2000) + new string(']', 2000)), HttpStatusCode.BadRequest),
            "no-slug" => (Signed(HttpMethod.Post, "/hooks/blog-post", """{ "title": "no id" }"""), HttpStatusCode.BadRequest),
            _ => (Signed(HttpMethod.Post, "/hooks/nope", good), HttpStatusCode.NotFound),
        };
        var (status, body) = await Send(request);
        Assert.Equal(expected, status);
        var message = body["detail"]!.GetValue<string>();
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("test-secret", message, StringComparison.Ordinal);
        Assert.False(File.Exists(Manifest), "nothing was written");
        Assert.False(Directory.Exists(Tool.PathOf("wwwroot/og")));
        Assert.Equal(0, Server!.Metrics.Renders);
    }

    [Fact]
    public async Task A5000DeepBodyUnderTheSizeLimitIsALocated400()
    {
        await Start(Options(maxBody: 20_000));
        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", new string('[', 5000) + new string(']', 5000)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("depth", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, body["line"]!.GetValue<int>());
        Assert.Equal("BI0010", body["code"]!.GetValue<string>());
        Assert.False(File.Exists(Manifest));
    }

    [Theory]
    [InlineData("/cards/blog-post/og/%2E%2E/buildimages.json")]
    [InlineData("/cards/blog-post/..%2Fbuildimages.json")]
    [InlineData("/cards/blog-post/og%5C..%5Cbuildimages.json")]
    [InlineData("/cards/blog-post/buildimages.json")]
    [InlineData("/cards/blog-post/.buildimages-manifest.json")]
    public async Task ACardPathOutsideTheRecordedOutputsIsRefused(string url)
    {
        await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "a", "title": "A" }"""));
        using var response = await Http.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{url}: {response.StatusCode}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"jobs\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePrunesTheItemsOutputsAndItsRecord()
    {
        await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """[{ "slug": "keep", "title": "Keep" }, { "slug": "gone", "title": "Gone" }]"""));
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/gone.webp")));
        var (status, body) = await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/gone", ""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body["pruned"]!.AsArray().Count);
        Assert.False(File.Exists(Tool.PathOf("wwwroot/og/gone.webp")));
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/keep.webp")));
        var manifest = await File.ReadAllTextAsync(Manifest);
        Assert.DoesNotContain("og/gone", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("og/gone", await File.ReadAllTextAsync(Tool.PathOf("wwwroot/images.json")), StringComparison.Ordinal);
        var (again, _) = await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/gone", "", timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        Assert.Equal(HttpStatusCode.NotFound, again);
        // An unsigned delete is refused like an unsigned publish.
        using var unsigned = await Http.DeleteAsync("/hooks/blog-post/keep");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/keep.webp")));
    }

    [Fact]
    public async Task IdenticalHooksInFlightRenderOnce()
    {
        var requests = Enumerable.Range(0, 100).Select(_ => Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "burst", "title": "Everyone asks at once" }"""))).ToList();
        var answers = await Task.WhenAll(requests);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.NotEqual("failed", a.Body["items"]![0]!["status"]!.GetValue<string>()));
        // One card's three outputs, once; every other request shared that render or found it current.
        Assert.Equal(3, Server!.Metrics.Renders);
        Assert.Equal(99, answers.Count(a => a.Body["items"]![0]!["coalesced"]!.GetValue<bool>() || a.Body["items"]![0]!["status"]!.GetValue<string>() == "skipped"));
    }

    [Fact]
    public async Task AFullQueueAnswers429WithRetryAfterAndTakesWorkAgainOnceDrained()
    {
        await Start(Options(capacity: 1));
        Task<(HttpStatusCode, JsonNode)> first, second;
        // A build holding the output folder (a nightly job) keeps the first batch waiting for the lock.
        using (OutputFolderLock.Acquire(Tool.PathOf("wwwroot"), TimeSpan.FromSeconds(5)))
        {
            first = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "q1", "title": "One" }"""));
            await WaitFor(() => Server!.Metrics.InFlight() == 1);
            second = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "q2", "title": "Two" }"""));
            await WaitFor(() => Server!.Metrics.QueueDepth() == 1);
            using var third = await Http.SendAsync(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "q3", "title": "Three" }"""));
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("1", third.Headers.GetValues("Retry-After").Single());
        }
        Assert.Equal(HttpStatusCode.OK, (await first).Item1);
        Assert.Equal(HttpStatusCode.OK, (await second).Item1);
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/q2.webp")));
        Assert.False(File.Exists(Tool.PathOf("wwwroot/og/q3.webp")));
    }

    [Fact]
    public async Task TheServerAndAToolBuildAtOnceOnOneConfigLoseAndCorruptNothing()
    {
        var posts = JsonNode.Parse(await File.ReadAllTextAsync(Tool.PathOf("content/posts.json")))!.AsArray();
        var build = Task.Run(() => Tool.Run("build", "--quiet"));
        var hooks = posts.Select(p =>
        {
            var edited = p!.DeepClone();
            edited["title"] = "Edited: " + edited["title"]!.GetValue<string>()[..Math.Min(20, edited["title"]!.GetValue<string>().Length)];
            return Send(Signed(HttpMethod.Post, "/hooks/blog-post", edited.ToJsonString()));
        }).ToList();
        var answers = await Task.WhenAll(hooks);
        var built = await build;
        Assert.Equal(0, built.Exit);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        // Every recorded output is on disk with the recorded bytes, and decodes.
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Manifest))!;
        var cards = manifest["cards"]!.AsObject();
        Assert.Equal(posts.Count, cards.Count);
        foreach (var (_, record) in cards)
        {
            foreach (var variant in record!["variants"]!.AsArray())
            {
                var bytes = await File.ReadAllBytesAsync(Tool.PathOf("wwwroot/" + variant!["file"]!.GetValue<string>()));
                Assert.Equal(variant["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
                Assert.True(VariantEncoder.DecodeRgba(bytes).Width > 0);
            }
        }
        Assert.Empty(Directory.EnumerateFiles(Tool.PathOf("wwwroot"), "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ACardOfTheJobsDataRendersOnItsFirstGETWhenTheJobAllowsItAndIs404WhenNot()
    {
        using (var closed = await Http.GetAsync("/cards/blog-post/og/short.webp"))
        {
            Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
        }
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Tool.PathOf("buildimages.json")))!;
        config["hooks"] = JsonNode.Parse("""{ "blog-post": { "onDemand": true } }""");
        await File.WriteAllTextAsync(Tool.PathOf("buildimages.json"), config.ToJsonString());
        var gets = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Http.GetAsync("/cards/blog-post/og/short.webp")));
        Assert.All(gets, g => Assert.Equal(HttpStatusCode.OK, g.StatusCode));
        var (_, w, h) = VariantEncoder.DecodeRgba(await gets[0].Content.ReadAsByteArrayAsync());
        Assert.Equal((1200, 630), (w, h));
        // Twenty GETs at once, one card: its three outputs rendered once.
        Assert.Equal(3, Server!.Metrics.Renders);
        using var unknown = await Http.GetAsync("/cards/blog-post/og/not-in-the-data.webp");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        gets.ToList().ForEach(g => g.Dispose());
    }

    [Fact]
    public async Task AClientThatDisconnectsDoesNotCancelTheRenderAnotherWaitsFor()
    {
        Task<(HttpStatusCode Status, JsonNode Body)> patient;
        using (OutputFolderLock.Acquire(Tool.PathOf("wwwroot"), TimeSpan.FromSeconds(5)))
        {
            using var gone = new CancellationTokenSource();
            var impatient = Http.SendAsync(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "shared", "title": "Shared" }"""), gone.Token);
            await WaitFor(() => Server!.Metrics.InFlight() == 1);
            patient = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "shared", "title": "Shared" }"""));
            await WaitFor(() => Server!.Metrics.CoalescedWaits == 1);
            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        }
        var (status, body) = await patient;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rendered", body["items"]![0]!["status"]!.GetValue<string>());
        Assert.True(body["items"]![0]!["coalesced"]!.GetValue<bool>());
        Assert.Equal(3, Server!.Metrics.Renders);
    }

    [Fact]
    public async Task StoppingTheServerFinishesTheBatchInFlightAndLeavesTheManifestValid()
    {
        Task<(HttpStatusCode Status, JsonNode Body)> inFlight;
        Task stopping;
        using (OutputFolderLock.Acquire(Tool.PathOf("wwwroot"), TimeSpan.FromSeconds(5)))
        {
            inFlight = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "last", "title": "The last one" }"""));
            await WaitFor(() => Server!.Metrics.InFlight() == 1);
            var server = Server!;
            Server = null;
            stopping = server.DisposeAsync().AsTask();
            await Task.Delay(300);
            Assert.False(stopping.IsCompleted, "the server waits for the batch in flight");
        }
        Assert.Equal(HttpStatusCode.OK, (await inFlight).Status);
        await stopping;
        using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Manifest));
        Assert.True(manifest.RootElement.GetProperty("cards").TryGetProperty("blog-post:og/last", out _));
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/last.webp")));
    }

    [Fact]
    public async Task AConfigurationBrokenWhileServingIsA500NamingItsLineAndAMendedOneServesAgain()
    {
        var good = await File.ReadAllTextAsync(Tool.PathOf("buildimages.json"));
        await File.WriteAllTextAsync(Tool.PathOf("buildimages.json"), good.Replace("\"jobs\"", "\"jobs\" :: ", StringComparison.Ordinal));
        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "c", "title": "C" }"""));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        // The hook proved the secret, so it learns where: the file relative to the configuration's folder, line and column.
        Assert.Equal("buildimages.json", body["file"]!.GetValue<string>());
        Assert.True(body["line"]!.GetValue<int>() > 0);
        Assert.DoesNotContain(Tool.PathOf(""), body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // A reader who proved nothing learns the code and where to look, not the file.
        using (var read = await Http.GetAsync("/cards/blog-post/og/c.webp"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
            var problem = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
            Assert.Equal("BI0001", problem["code"]!.GetValue<string>());
            Assert.Null(problem["file"]);
            Assert.DoesNotContain("buildimages.json", problem.ToJsonString(), StringComparison.Ordinal);
        }
        await File.WriteAllTextAsync(Tool.PathOf("buildimages.json"), good);
        File.SetLastWriteTimeUtc(Tool.PathOf("buildimages.json"), DateTime.UtcNow.AddSeconds(5));
        var (again, _) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "c", "title": "C" }"""));
        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task APortAlreadyTakenIsAUsageErrorNamingTheAddress()
    {
        var taken = Server!.Addresses[0];
        var ex = await Assert.ThrowsAsync<Core.Diagnostics.BuildInputException>(() => HookServer.StartAsync(new ServeOptions { ConfigFile = Tool.PathOf("buildimages.json"), Urls = [taken], Auth = new HookAuth(Secret, null, null) }));
        Assert.Equal("BI0002", ex.Diagnostic.Code);
        Assert.Contains(taken, ex.Diagnostic.Message, StringComparison.Ordinal);
    }
}
