using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>A hook server on a real Kestrel at 127.0.0.1, port 0, over an init'd blog-post site, and a client that signs as the README says.</summary>
public abstract class HookServerTestBase(byte[] secret, byte[]? token) : IAsyncLifetime
{
    protected ToolRun Tool { get; } = new();

    private protected HookServer? Server { get; set; }

    protected HttpClient Http { get; private set; } = new();

    protected byte[] Secret => secret;

    protected string Manifest => Tool.PathOf("wwwroot/.buildimages-manifest.json");

    /// <summary>The options a test starts the server with, on top of the site's configuration and this class's secrets.</summary>
    private protected ServeOptions Options(long maxBody = 1 << 20, int capacity = 1000, Action<string>? log = null) =>
        new() { ConfigFile = Tool.PathOf("buildimages.json"), Urls = ["http://127.0.0.1:0"], Auth = new HookAuth(secret, token, null), MaxBody = maxBody, Capacity = capacity, Log = log ?? (_ => { }) };

    public virtual async Task InitializeAsync()
    {
        Assert.Equal(0, Tool.Run("init", "--template", "blog-post").Exit);
        await Start(Options(maxBody: 4096));
    }

    private protected async Task Start(ServeOptions options)
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        Server = await HookServer.StartAsync(options);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = new Uri(Server.Addresses[0]) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        Tool.Dispose();
    }

    /// <summary>A request signed as the README tells a CMS to: over timestamp, method, route (from the URL) and body.</summary>
    protected HttpRequestMessage Signed(HttpMethod method, string url, string body, long? timestamp = null, byte[]? otherSecret = null) =>
        Signed(otherSecret ?? secret, method, url, body, timestamp);

    /// <summary>As above, with <paramref name="key"/>: for tests that run servers of their own.</summary>
    internal static HttpRequestMessage Signed(byte[] key, HttpMethod method, string url, string body, long? timestamp = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var seconds = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signed = Encoding.UTF8.GetBytes($"{seconds}\n{method.Method}\n{CanonicalRoute(url)}\n").Concat(bytes).ToArray();
        request.Headers.Add("X-BuildImages-Timestamp", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-BuildImages-Signature", "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, signed)));
        return request;
    }

    /// <summary>/hooks/{job}[/{id}] with each segment percent-encoded once, the id as one segment (what the server signs).</summary>
    private static string CanonicalRoute(string url)
    {
        var segments = url.Split('?')[0].Split('/').Skip(2).Select(Uri.UnescapeDataString).ToList();
        var id = segments.Count > 1 ? "/" + Uri.EscapeDataString(string.Join('/', segments.Skip(1))) : "";
        return "/hooks/" + Uri.EscapeDataString(segments[0]) + id;
    }

    protected async Task<(HttpStatusCode Status, JsonNode Body)> Send(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    /// <summary>Waits for a state the test caused (a bound for a broken server, not a race: a busy machine only makes it slower).</summary>
    protected static async Task WaitFor(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(25);
        }
        Assert.True(condition(), "timed out waiting");
    }
}
