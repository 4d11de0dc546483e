using System.Net;

namespace BuildImages.Core.Caching;

/// <summary>
/// The Bazel HTTP cache protocol: <c>GET/PUT {url}/{ac|cas}/{name}</c>, which nginx WebDAV, bazel-remote and any HTTP
/// server that takes PUT speak. A 404 is a miss; a 5xx is worth retrying, another failure is not.
/// </summary>
internal sealed class HttpCacheTransport : ICacheTransport
{
    /// <summary>
    /// One per cache (URL, timeout, credentials) for the life of the process: the hook server builds a batch per request
    /// burst, and a client per build would open (and, over TLS, negotiate) new connections every time.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri Url, TimeSpan Timeout, string? Authorization), HttpCacheTransport> Shared = new();

    private readonly HttpClient _http;
    private readonly string _base;

    private HttpCacheTransport(HttpClient http, Uri url)
    {
        _http = http;
        _base = url.AbsoluteUri.TrimEnd('/') + "/";
    }

    internal static HttpCacheTransport For(RemoteCacheOptions options) =>
        Shared.GetOrAdd((options.Url, options.Timeout, options.Authorization), key =>
        {
            var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = key.Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
            {
                Timeout = key.Timeout,
            };
            if (key.Authorization is { } authorization)
            {
                http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
            }
            return new HttpCacheTransport(http, key.Url);
        });

    public byte[]? Get(string area, string name, long maxBytes, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base + area + "/" + name));
        using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Check(request, response);
        using var body = response.Content.ReadAsStream(cancellation);
        return BoundedBody.Read(body, response.Content.Headers.ContentLength, maxBytes, cancellation);
    }

    public void Put(string area, string name, byte[] body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_base + area + "/" + name)) { Content = new ByteArrayContent(body) };
        using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        Check(request, response);
    }

    private static void Check(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw CacheRequestException.ForStatus($"{request.Method} {request.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}", (int)response.StatusCode);
        }
    }
}
