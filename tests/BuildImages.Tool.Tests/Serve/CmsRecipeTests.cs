using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>
/// Each CMS recipe in samples/hook/{cms}/ as it ships: its buildimages.json on a hook server, its requests.json sent in
/// order (bodies and headers shaped like the CMS's own), each signed the way that CMS signs (implemented here from the
/// CMS's documentation, not from the server's code). A publish or update renders, an unpublish or delete removes the
/// card, its images.json entry and its record, other events are acknowledged and change nothing, and a request signed
/// with another secret is refused without touching anything.
/// </summary>
public sealed class CmsRecipeTests : IAsyncLifetime
{
    private readonly ToolRun _tool = new();
    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private HookServer? _server;
    private HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("contentful")]
    [InlineData("sanity")]
    [InlineData("strapi")]
    [InlineData("umbraco")]
    public async Task ARecipePublishesUpdatesIgnoresAndUnpublishesAsItsCMSSendsThem(string cms)
    {
        var recipe = Path.Combine(ToolRun.RepoRoot, "samples", "hook", cms);
        File.Copy(Path.Combine(recipe, "buildimages.json"), _tool.PathOf("buildimages.json"));
        var hook = JsonNode.Parse(File.ReadAllText(_tool.PathOf("buildimages.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!["hooks"]!["posts"]!;
        var variable = hook["secret"]!.GetValue<string>()["env:".Length..];
        Environment.SetEnvironmentVariable(variable, _secret);
        // The server's own secret is another one: the job's must be what checks its CMS's requests.
        _server = await HookServer.StartAsync(new ServeOptions
        {
            ConfigFile = _tool.PathOf("buildimages.json"), Urls = ["http://127.0.0.1:0"],
            Auth = new HookAuth(RandomNumberGenerator.GetBytes(32), null, null), Log = _ => { },
        });
        _http = new HttpClient { BaseAddress = new Uri(_server.Addresses[0]) };
        var requests = JsonNode.Parse(File.ReadAllText(Path.Combine(recipe, "requests.json")))!.AsArray();

        // Signed with another secret: refused, nothing written.
        var first = requests[0]!;
        using (var forged = Request(cms, hook, first, recipe, "not-" + _secret))
        using (var refused = await _http.SendAsync(forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.False(Directory.Exists(_tool.PathOf("out/og")));
        }

        string? id = null;
        List<string> files = [];
        foreach (var step in requests)
        {
            var name = step!["name"]!.GetValue<string>();
            var expect = step["expect"]!.GetValue<string>();
            var before = Listing();
            using var request = Request(cms, hook, step, recipe, _secret);
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{cms} {name}: {(int)response.StatusCode} {text}");
            var answer = JsonNode.Parse(text)!;
            switch (expect)
            {
                case "rendered":
                    var item = answer["items"]![0]!;
                    Assert.Equal("rendered", item["status"]!.GetValue<string>());
                    id = item["id"]!.GetValue<string>();
                    // The answer lists what the item has now, and what it lost (status "pruned").
                    var made = item["files"]!.AsArray().Where(f => f!["status"]!.GetValue<string>() != "pruned").ToList();
                    var now = made.Select(f => f!["path"]!.GetValue<string>()).ToList();
                    Assert.Equal(files.Except(now).Order(StringComparer.Ordinal), item["files"]!.AsArray().Where(f => f!["status"]!.GetValue<string>() == "pruned").Select(f => f!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal));
                    foreach (var file in made)
                    {
                        var (_, w, h) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(_tool.PathOf("out/" + file!["path"]!.GetValue<string>())));
                        Assert.Equal((1200, 630), (w, h));
                        Assert.Contains(file["url"]!.GetValue<string>(), ImagesJsonUrls(id));
                    }
                    // A card the item no longer has (its slug changed) is gone.
                    Assert.All(files.Except(now), gone => Assert.False(File.Exists(_tool.PathOf("out/" + gone)), $"{cms} {name}: {gone} left behind"));
                    files = now;
                    break;
                case "unpublished":
                    Assert.Equal("unpublished", answer["status"]!.GetValue<string>());
                    Assert.Equal(id, Assert.Single(answer["ids"]!.AsArray())!.GetValue<string>());
                    Assert.Equal(1, answer["removed"]!.GetValue<int>());
                    Assert.All(files, gone => Assert.False(File.Exists(_tool.PathOf("out/" + gone)), $"{cms} {name}: {gone} still there"));
                    Assert.Empty(ImagesJsonUrls(id!));
                    Assert.DoesNotContain($"\"{id}\"", File.ReadAllText(_tool.PathOf("out/.buildimages-manifest.json")), StringComparison.Ordinal);
                    files = [];
                    break;
                default:
                    Assert.Equal("ignored", answer["status"]!.GetValue<string>());
                    Assert.Equal(before, Listing());
                    break;
            }
        }
    }

    /// <summary>The step's body and headers, signed as the recipe's CMS signs (or carrying its token).</summary>
    private static HttpRequestMessage Request(string cms, JsonNode hook, JsonNode step, string recipe, string secret)
    {
        var body = File.ReadAllBytes(Path.Combine(recipe, step["body"]!.GetValue<string>()));
        var message = new HttpRequestMessage(HttpMethod.Post, "/hooks/posts") { Content = new ByteArrayContent(body) };
        var headers = step["headers"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        var key = Encoding.UTF8.GetBytes(secret);
        switch (cms)
        {
            case "contentful":
                {
                    // Request verification: HMAC-SHA256 (hex) of method, path, the signed headers ("name:value", sorted,
                    // ';'-joined, including x-contentful-signed-headers and x-contentful-timestamp) and body, '\n'-joined.
                    var signedHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["x-contentful-timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["x-contentful-topic"] = headers["X-Contentful-Topic"],
                    };
                    signedHeaders["x-contentful-signed-headers"] = string.Join(',', signedHeaders.Keys.Append("x-contentful-signed-headers").Order(StringComparer.Ordinal));
                    var canonical = $"POST\n/hooks/posts\n{string.Join(';', signedHeaders.Select(h => $"{h.Key}:{h.Value}"))}\n{Encoding.UTF8.GetString(body)}";
                    message.Headers.Add("x-contentful-timestamp", signedHeaders["x-contentful-timestamp"]);
                    message.Headers.Add("x-contentful-signed-headers", signedHeaders["x-contentful-signed-headers"]);
                    message.Headers.Add("x-contentful-signature", Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical))));
                    break;
                }
            case "sanity":
                {
                    // sanity-webhook-signature: t=<ms>,v1=<base64url HMAC-SHA256 of "t.body">.
                    var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray());
                    message.Headers.Add("sanity-webhook-signature", $"t={t},v1={Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_')}");
                    break;
                }
            default:
                // Strapi and Umbraco send the custom header the webhook was given.
                var header = hook["tokenHeader"]?.GetValue<string>() ?? "Authorization";
                message.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + secret : secret);
                break;
        }
        return message;
    }

    private List<string> ImagesJsonUrls(string id)
    {
        var path = _tool.PathOf("out/images.json");
        if (!File.Exists(path))
        {
            return [];
        }
        using var images = JsonDocument.Parse(File.ReadAllText(path));
        return images.RootElement.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("item").GetString() == id)
            .SelectMany(i => i.GetProperty("variants").EnumerateArray()).Select(v => v.GetProperty("url").GetString()!).ToList();
    }

    private string Listing() => Directory.Exists(_tool.PathOf("out"))
        ? string.Join('\n', Directory.GetFiles(_tool.PathOf("out"), "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).Select(f => f + ":" + File.GetLastWriteTimeUtc(f).Ticks))
        : string.Empty;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _tool.Dispose();
    }
}
