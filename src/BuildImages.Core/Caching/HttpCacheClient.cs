using System.Diagnostics;
using System.Net;

namespace BuildImages.Core.Caching;

/// <summary>
/// The Bazel HTTP cache protocol, synchronously (workers are threads): GET and PUT of <c>{url}/{ac|cas}/{name}</c>.
/// A 404 is a miss; a timeout, a refused connection or a 5xx is retried twice with backoff, then counts as a failure;
/// after <see cref="RemoteCacheOptions.FailuresBeforeOff"/> failures in a row the cache is off for the rest of the
/// build (a cache that is down must cost a build seconds, not a timeout per card). The first failure is reported once.
/// The failure count and the byte counts are one build's; the connections are the process's (<see cref="Shared"/>).
/// </summary>
internal sealed class HttpCacheClient
{
    /// <summary>
    /// One HttpClient per cache (URL, timeout, credentials) for the life of the process: the hook server builds a batch
    /// per request burst, and a client per build would open (and, over TLS, negotiate) new connections every time.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri Url, TimeSpan Timeout, string? Authorization), HttpClient> Shared = new();

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)];
    private readonly RemoteCacheOptions _options;
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly Action<string> _failed;
    private int _failuresInRow;
    private int _off;
    private int _reported;
    private long _bytesDown;
    private long _bytesUp;
    private long _ticks;

    /// <param name="options">The cache.</param>
    /// <param name="failed">Told once, at the first failed request, why.</param>
    internal HttpCacheClient(RemoteCacheOptions options, Action<string> failed)
    {
        _options = options;
        _failed = failed;
        _http = Shared.GetOrAdd((options.Url, options.Timeout, options.Authorization), key =>
        {
            var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = key.Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
            {
                Timeout = key.Timeout,
            };
            if (key.Authorization is { } authorization)
            {
                http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
            }
            return http;
        });
        _base = options.Url.AbsoluteUri.TrimEnd('/') + "/";
    }

    internal bool IsOff => Volatile.Read(ref _off) != 0;

    internal long BytesDown => Interlocked.Read(ref _bytesDown);

    internal long BytesUp => Interlocked.Read(ref _bytesUp);

    internal double Milliseconds => Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency;

    /// <summary>The object's bytes, or null when it is not there, the request failed, or the cache is off.</summary>
    internal byte[]? Get(string area, string name, long maxBytes) =>
        Send(() => Request(HttpMethod.Get, area, name), (response, cancellation) =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (true, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                return (false, null);
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return (true, null);
            }
            // The body is read under the same deadline as the headers: a server that stalls mid-body is a timeout, not a hang.
            using var stream = response.Content.ReadAsStream(cancellation);
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.ReadAsync(buffer, cancellation).AsTask().GetAwaiter().GetResult()) > 0)
            {
                if (memory.Length + read > maxBytes)
                {
                    // Larger than anything this build writes: not ours, never held whole.
                    return (true, null);
                }
                memory.Write(buffer, 0, read);
            }
            Interlocked.Add(ref _bytesDown, memory.Length);
            return (true, memory.ToArray());
        });

    /// <summary>Stores the object; false when the request failed or the cache is off.</summary>
    internal bool Put(string area, string name, byte[] body) =>
        Send(() =>
        {
            var request = Request(HttpMethod.Put, area, name);
            request.Content = new ByteArrayContent(body);
            return request;
        }, (response, _) =>
        {
            if (!response.IsSuccessStatusCode)
            {
                return (false, false);
            }
            Interlocked.Add(ref _bytesUp, body.Length);
            return (true, true);
        });

    private HttpRequestMessage Request(HttpMethod method, string area, string name) => new(method, new Uri(_base + area + "/" + name));

    /// <summary>Sends with retries; <paramref name="read"/> says whether the answer was a success (a miss is one) and what it holds.</summary>
    private T? Send<T>(Func<HttpRequestMessage> make, Func<HttpResponseMessage, CancellationToken, (bool Ok, T? Value)> read)
    {
        if (IsOff)
        {
            return default;
        }
        var started = Stopwatch.GetTimestamp();
        string? why = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var request = make();
                    using var deadline = new CancellationTokenSource(_options.Timeout);
                    using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                    var (ok, value) = read(response, deadline.Token);
                    if (ok)
                    {
                        Interlocked.Exchange(ref _failuresInRow, 0);
                        return value;
                    }
                    why = $"{request.Method} {request.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}";
                    if ((int)response.StatusCode < 500)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    why = ex is OperationCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0.#} s" : ex.Message;
                }
                if (attempt >= Backoff.Length || IsOff)
                {
                    break;
                }
                Thread.Sleep(Backoff[attempt]);
            }
            Failed(why ?? "the request failed");
            return default;
        }
        finally
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
        }
    }

    private void Failed(string why)
    {
        if (Interlocked.Increment(ref _failuresInRow) >= _options.FailuresBeforeOff)
        {
            Interlocked.Exchange(ref _off, 1);
        }
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            _failed($"the remote cache {_options.Url} failed ({why}); what it cannot give is rendered locally, and after {_options.FailuresBeforeOff} failures in a row it is not asked again in this build");
        }
    }

}
