using System.Diagnostics;

namespace BuildImages.Core.Caching;

/// <summary>
/// Requests to the remote cache, synchronously (workers are threads), whatever the store: a miss is null; a timeout, a
/// refused connection or an answer worth retrying is retried twice with backoff, then counts as a failure; after
/// <see cref="RemoteCacheOptions.FailuresBeforeOff"/> failures in a row the cache is off for the rest of the build (a
/// cache that is down must cost a build seconds, not a timeout per card). The first failure is reported once. The
/// failure count and the byte counts are one build's; the transport's connections are the process's.
/// </summary>
internal sealed class CacheClient
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)];
    private readonly RemoteCacheOptions _options;
    private readonly ICacheTransport _transport;
    private readonly Action<string> _failed;
    private int _failuresInRow;
    private int _off;
    private int _reported;
    private long _bytesDown;
    private long _bytesUp;
    private long _ticks;

    /// <param name="options">The cache.</param>
    /// <param name="failed">Told once, at the first failed request, why.</param>
    internal CacheClient(RemoteCacheOptions options, Action<string> failed)
    {
        _options = options;
        _failed = failed;
        _transport = options.Url.Scheme switch
        {
            RemoteCacheOptions.S3Scheme => S3CacheTransport.For(options),
            RemoteCacheOptions.AzureBlobScheme => AzureBlobCacheTransport.For(options),
            _ => HttpCacheTransport.For(options),
        };
    }

    internal bool IsOff => Volatile.Read(ref _off) != 0;

    internal long BytesDown => Interlocked.Read(ref _bytesDown);

    internal long BytesUp => Interlocked.Read(ref _bytesUp);

    internal double Milliseconds => Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency;

    /// <summary>The object's bytes, or null when it is not there, the request failed, or the cache is off.</summary>
    internal byte[]? Get(string area, string name, long maxBytes)
    {
        var (ok, bytes) = Send(area, name, cancellation => (true, _transport.Get(area, name, maxBytes, cancellation)));
        if (ok && bytes is not null)
        {
            Interlocked.Add(ref _bytesDown, bytes.Length);
        }
        return bytes;
    }

    /// <summary>Stores the object; false when the request failed or the cache is off.</summary>
    internal bool Put(string area, string name, byte[] body)
    {
        var (ok, _) = Send(area, name, cancellation =>
        {
            _transport.Put(area, name, body, cancellation);
            return (true, (byte[]?)null);
        });
        if (ok)
        {
            Interlocked.Add(ref _bytesUp, body.Length);
        }
        return ok;
    }

    /// <summary>Sends with retries under one deadline per attempt; false when every attempt failed or the cache is off.</summary>
    private (bool Ok, byte[]? Value) Send(string area, string name, Func<CancellationToken, (bool, byte[]?)> request)
    {
        if (IsOff)
        {
            return (false, null);
        }
        var started = Stopwatch.GetTimestamp();
        string? why = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var retry = true;
                try
                {
                    using var deadline = new CancellationTokenSource(_options.Timeout);
                    var answer = request(deadline.Token);
                    Interlocked.Exchange(ref _failuresInRow, 0);
                    return answer;
                }
                catch (CacheRequestException ex)
                {
                    why = ex.Message;
                    retry = ex.Retry;
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or TimeoutException)
                {
                    why = ex is OperationCanceledException or TimeoutException ? $"{area}/{name[..Math.Min(12, name.Length)]}…: no answer within {_options.Timeout.TotalSeconds:0.#} s" : ex.Message;
                }
                if (!retry || attempt >= Backoff.Length || IsOff)
                {
                    break;
                }
                Thread.Sleep(Backoff[attempt]);
            }
            Failed(why ?? "the request failed");
            return (false, null);
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
