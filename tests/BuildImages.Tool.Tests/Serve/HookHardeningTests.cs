using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Output;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>The hook server against a hostile caller: what a signature binds, where it listens, the order of operations, and what an error tells.</summary>
public sealed class HookHardeningTests() : HookServerTestBase("hardening-secret"u8.ToArray(), "hardening-token"u8.ToArray())
{
    private async Task Publish(string slug, string title = "Title")
    {
        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", new JsonObject { ["slug"] = slug, ["title"] = title }.ToJsonString()));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
    }

    [Fact]
    public async Task WithAReadTokenCardsAndMetricsNeedItAndHealthDoesNot()
    {
        var read = "read-token-for-cards"u8.ToArray();
        await Start(Options() with { Auth = new HookAuth(Secret, null, read) });
        await Publish("private-card");
        using (var anonymous = await Http.GetAsync("/cards/og/private-card.webp"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
            Assert.Equal("BI0002", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/cards/og/private-card.webp") { Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.SendAsync(wrong)).StatusCode);
        foreach (var path in new[] { "/cards/og/private-card.webp", "/metrics" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "read-token-for-cards") } };
            using var answer = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ASignatureBindsMethodJobIdAndBodyAndIsAcceptedOnce()
    {
        await Publish("keep");
        await Publish("gone");
        var delete = Signed(HttpMethod.Delete, "/hooks/blog-post/gone", "");
        var headers = delete.Headers.ToDictionary(h => h.Key, h => h.Value.Single());

        // The same headers on another item, another method or another job: refused, nothing removed.
        foreach (var (method, url) in new[] { (HttpMethod.Delete, "/hooks/blog-post/keep"), (HttpMethod.Post, "/hooks/blog-post"), (HttpMethod.Delete, "/hooks/other/gone") })
        {
            using var replayed = new HttpRequestMessage(method, url) { Content = new ByteArrayContent([]) };
            foreach (var (name, value) in headers)
            {
                replayed.Headers.Add(name, value);
            }
            var (status, body) = await Send(replayed);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {url}: {status} {body}");
            Assert.Contains("does not match", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/keep.webp")));

        // The request itself works once; sent again it is a replay.
        var copy = new HttpRequestMessage(HttpMethod.Delete, "/hooks/blog-post/gone") { Content = new ByteArrayContent([]) };
        foreach (var (name, value) in headers)
        {
            copy.Headers.Add(name, value);
        }
        Assert.Equal(HttpStatusCode.OK, (await Send(delete)).Status);
        var (again, answer) = await Send(copy);
        Assert.Equal(HttpStatusCode.Unauthorized, again);
        Assert.Contains("replay", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACopyOfAPublishSignedBeforeTheItemsUnpublishCannotBringTheCardBack()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = """{ "slug": "pulled", "title": "Pulled by the editor" }""";
        Assert.Equal(HttpStatusCode.OK, (await Send(Signed(HttpMethod.Post, "/hooks/blog-post", body, now - 20))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/pulled", "", now - 10))).Status);

        var (copy, answer) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", body, now - 20));
        var (republished, _) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", body, now));

        Assert.Equal(HttpStatusCode.Conflict, copy);
        Assert.Contains("unpublished after this request was signed", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, republished);
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/pulled.webp")), "a publish signed after the unpublish is the CMS publishing again");
    }

    [Theory]
    [InlineData("old")]
    [InlineData("future")]
    [InlineData("no-timestamp")]
    [InlineData("body-only")]
    [InlineData("other-body")]
    public async Task ASignatureOutOfItsWindowOrOfTheOldBodyOnlyFormIsRefusedAndWritesNothing(string kind)
    {
        const string body = """{ "slug": "x", "title": "x" }""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = kind switch
        {
            "old" => Signed(HttpMethod.Post, "/hooks/blog-post", body, now - 600),
            "future" => Signed(HttpMethod.Post, "/hooks/blog-post", body, now + 600),
            _ => Signed(HttpMethod.Post, "/hooks/blog-post", body),
        };
        if (kind == "no-timestamp")
        {
            request.Headers.Remove("X-BuildImages-Timestamp");
        }
        if (kind == "body-only")
        {
            request.Headers.Remove("X-BuildImages-Signature");
            request.Headers.Add("X-BuildImages-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(body))));
        }
        if (kind == "other-body")
        {
            request.Content = new StringContent("""{ "slug": "y", "title": "y" }""");
        }

        var (status, answer) = await Send(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("BI0002", answer["code"]!.GetValue<string>());
        Assert.False(File.Exists(Manifest));
        Assert.Equal(0, Server!.Metrics.Renders);
    }

    [Fact]
    public async Task AnUnauthenticatedBodyIsNeverRead()
    {
        // Headers that promise a large body, then nothing: a server that read before authenticating would wait for it.
        var (status, _) = await Raw("POST /hooks/blog-post HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n");
        Assert.Equal(401, status);
        var (signedNoBody, _) = await Raw($"POST /hooks/blog-post HTTP/1.1\r\nHost: x\r\nX-BuildImages-Signature: v1={new string('0', 64)}\r\nContent-Length: 4000\r\n\r\n");
        Assert.Equal(401, signedNoBody);
    }

    [Fact]
    public async Task AMalformedChunkIsA400ForAKnownCallerAndA401ForAnyoneElse()
    {
        var chunked = "POST /hooks/blog-post HTTP/1.1\r\nHost: x\r\n{0}Transfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nabc\r\n";
        var (stranger, _) = await Raw(string.Format(CultureInfo.InvariantCulture, chunked, ""));
        var (known, text) = await Raw(string.Format(CultureInfo.InvariantCulture, chunked, "Authorization: Bearer hardening-token\r\n"));

        Assert.Equal(401, stranger);
        Assert.Equal(400, known);
        Assert.Contains("\"code\":\"BI0002\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BI0009", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://loopback:0")]
    [InlineData("http://my-host.example:0")]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://10.1.2.3:0")]
    public async Task ABindAddressThatIsNotALoopbackIPIsRefusedWithoutAllowRemote(string url)
    {
        var ex = await Assert.ThrowsAnyAsync<BuildInputException>(() => HookServer.StartAsync(new ServeOptions { ConfigFile = Tool.PathOf("buildimages.json"), Urls = [url], Auth = new HookAuth(null, null, null), NoAuth = true }));

        Assert.Equal("BI0002", ex.Diagnostic.Code);
        Assert.Contains(url, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostNameWithAllowRemoteStillNeedsASecretAndLoopbackSpellingsListenOnLoopback()
    {
        var ex = await Assert.ThrowsAnyAsync<BuildInputException>(() => HookServer.StartAsync(new ServeOptions { ConfigFile = Tool.PathOf("buildimages.json"), Urls = ["http://loopback:0"], Auth = new HookAuth(null, null, null), NoAuth = true, AllowRemote = true }));
        Assert.Contains("need a secret", ex.Diagnostic.Message, StringComparison.Ordinal);

        foreach (var url in new[] { "http://[::ffff:127.0.0.1]:0", "http://localhost:0", "http://127.0.0.2:0" })
        {
            await using var server = await HookServer.StartAsync(new ServeOptions { ConfigFile = Tool.PathOf("buildimages.json"), Urls = [url], Auth = new HookAuth(null, null, null), NoAuth = true });
            Assert.All(server.Addresses, a => Assert.True(IPAddress.IsLoopback(IPAddress.Parse(new Uri(a).Host.Trim('[', ']'))), $"{url} listens on {a}"));
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("folder")]
    public void ASecretFileThatCannotServeIsAUsageErrorNamingIt(string kind)
    {
        var file = Tool.PathOf("secret-" + kind);
        if (kind == "empty")
        {
            File.WriteAllText(file, "\n");
        }
        if (kind == "folder")
        {
            Directory.CreateDirectory(file);
        }

        var ex = Assert.ThrowsAny<BuildInputException>(() => HookAuth.Load(null, file));

        Assert.Equal("BI0002", ex.Diagnostic.Code);
        Assert.Equal(file, ex.Diagnostic.File);
    }

    [Fact]
    public async Task APublishAfterADeleteOfTheSameItemWinsAlthoughBothWaitedBehindABatch()
    {
        await Publish("x", "First version");
        Task<(HttpStatusCode Status, JsonNode Body)> delete, republish, other;
        using (OutputFolderLock.Acquire(Tool.PathOf("wwwroot"), TimeSpan.FromSeconds(5)))
        {
            other = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "y", "title": "In flight" }"""));
            await WaitFor(() => Server!.Metrics.InFlight() == 1);
            delete = Send(Signed(HttpMethod.Delete, "/hooks/blog-post/x", ""));
            await WaitFor(() => Server!.Metrics.QueueDepth() == 1);
            republish = Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "x", "title": "Second version" }"""));
            await WaitFor(() => Server!.Metrics.QueueDepth() == 2);
        }

        Assert.Equal(HttpStatusCode.OK, (await other).Status);
        Assert.Equal(HttpStatusCode.OK, (await delete).Status);
        var (status, body) = await republish;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rendered", body["items"]![0]!["status"]!.GetValue<string>());
        using var card = await Http.GetAsync(body["items"]![0]!["files"]![0]!["card"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/x.webp")));
        Assert.Contains("blog-post:og/x", await File.ReadAllTextAsync(Manifest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdHoldingASlashIsDeletedByEitherSpelling()
    {
        await Publish("col/x");
        Assert.True(File.Exists(Tool.PathOf("wwwroot/og/col-x.webp")));

        var (status, body) = await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/col%2Fx", ""));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.False(File.Exists(Tool.PathOf("wwwroot/og/col-x.webp")));

        await Publish("col/x");
        // Both spellings sign the same route: the second is signed a second later, or it would be a replay of the first.
        var (plain, _) = await Send(Signed(HttpMethod.Delete, "/hooks/blog-post/col/x", "", DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        Assert.Equal(HttpStatusCode.OK, plain);
        Assert.False(File.Exists(Tool.PathOf("wwwroot/og/col-x.webp")));
    }

    [Fact]
    public async Task TwoSlugsThatNameOneFileAreAnErrorNamingBothAndTheFirstCardStays()
    {
        await Publish("col-x", "The first owner");
        var before = await File.ReadAllBytesAsync(Tool.PathOf("wwwroot/og/col-x.webp"));

        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """{ "slug": "col/x", "title": "Would replace it" }"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = body["items"]![0]!["errors"]![0]!;
        Assert.Equal("BI0021", error["code"]!.GetValue<string>());
        Assert.Contains("'col-x'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("'col/x'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Tool.PathOf("wwwroot/og/col-x.webp")));
        Assert.Equal("col-x", JsonNode.Parse(await File.ReadAllTextAsync(Manifest))!["cards"]!["blog-post:og/col-x"]!["item"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABodyWithMoreItemsThanTheQueueHoldsIs413NotAnEndless429()
    {
        await Start(Options(capacity: 2));
        var (status, body) = await Send(Signed(HttpMethod.Post, "/hooks/blog-post", """[{ "slug": "a" }, { "slug": "b" }, { "slug": "c" }]"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("at most 2", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingOnDemandCardTellsAnUnknownReaderItsCodeAndNoPaths()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Tool.PathOf("buildimages.json")))!;
        config["hooks"] = JsonNode.Parse("""{ "blog-post": { "onDemand": true } }""");
        await File.WriteAllTextAsync(Tool.PathOf("buildimages.json"), config.ToJsonString());
        var template = Directory.GetFiles(Tool.PathOf("templates"), "card.*", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(template, "<card>{{ if title }}</card>");
        var logged = new List<string>();
        await Start(Options(log: l => { lock (logged) { logged.Add(l); } }));

        using var response = await Http.GetAsync("/cards/blog-post/og/short.webp");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"code\":\"BI0100\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Tool.PathOf(""), text, StringComparison.Ordinal);
        Assert.Contains(logged, l => l.Contains("card.", StringComparison.Ordinal) && l.Contains("BI0100", StringComparison.Ordinal));
    }

    /// <summary>Sends raw bytes (what HttpClient will not send) and reads the status line and what follows.</summary>
    private async Task<(int Status, string Text)> Raw(string request)
    {
        var uri = new Uri(Server!.Addresses[0]);
        using var client = new TcpClient();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await client.ConnectAsync(uri.Host, uri.Port, bound.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), bound.Token);
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, bound.Token)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (Complete(text.ToString()))
            {
                break;
            }
        }
        var all = text.ToString();
        return (int.Parse(all.Split(' ')[1], CultureInfo.InvariantCulture), all);
    }

    private static bool Complete(string response)
    {
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }
        var length = System.Text.RegularExpressions.Regex.Match(response, "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return length.Success
            ? response.Length - headerEnd - 4 >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture)
            : response.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}
