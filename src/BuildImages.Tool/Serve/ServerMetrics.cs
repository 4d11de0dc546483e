using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using BuildImages.Core.Build;
using BuildImages.Core.Serving;

namespace BuildImages.Tool.Serve;

/// <summary>The hook server's counters, gauges and histograms, in the Prometheus text format (<c>GET /metrics</c>).</summary>
internal sealed class ServerMetrics : IHookQueueObserver
{
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Route, int Status), long> _requests = new();
    private readonly LatencyHistogram _render = new("buildimages_batch_seconds", "Time to build one batch of hook items, from lock to manifest.");
    private readonly LatencyHistogram _request = new("buildimages_request_seconds", "Time to answer a request, by any route.");
    private long _renders;
    private long _fetches;
    private long _skips;
    private long _coalesced;
    private long _batches;
    private long _cacheHits;
    private long _cacheMisses;

    internal Func<int> QueueDepth { get; set; } = () => 0;

    internal Func<int> InFlight { get; set; } = () => 0;

    /// <summary>Outputs rendered so far (what the load test counts).</summary>
    internal long Renders => Interlocked.Read(ref _renders);

    /// <summary>Outputs taken from the remote cache (another replica or build rendered them).</summary>
    internal long Fetches => Interlocked.Read(ref _fetches);

    internal long Skips => Interlocked.Read(ref _skips);

    internal long CoalescedWaits => Interlocked.Read(ref _coalesced);

    public void Coalesced() => Interlocked.Increment(ref _coalesced);

    public void Batch(string job, int items, BuildReport report, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _renders, report.Rendered + report.Deduplicated);
        Interlocked.Add(ref _fetches, report.Fetched);
        Interlocked.Add(ref _skips, report.Skipped);
        if (report.ImageCache is { } cache)
        {
            // The engine's cache lives as long as the server: its figures are totals already.
            Interlocked.Exchange(ref _cacheHits, cache.Hits);
            Interlocked.Exchange(ref _cacheMisses, cache.Misses);
        }
        foreach (var error in report.Errors)
        {
            _failures.AddOrUpdate(error.Code, 1, (_, n) => n + 1);
        }
        _render.Observe(elapsed);
    }

    public void Failed(string job, int items, string code, TimeSpan elapsed)
    {
        _failures.AddOrUpdate(code, items, (_, n) => n + items);
        _render.Observe(elapsed);
    }

    internal void Request(string route, int status, TimeSpan elapsed)
    {
        _requests.AddOrUpdate((route, status), 1, (_, n) => n + 1);
        _request.Observe(elapsed);
    }

    internal string Text()
    {
        var sb = new StringBuilder();
        void Counter(string name, string help, long value)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(" counter\n");
            sb.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
        }
        Counter("buildimages_renders_total", "Outputs rendered (or copied from an identical one) for hook requests.", Renders);
        Counter("buildimages_fetched_total", "Outputs taken from the remote cache for hook requests.", Fetches);
        Counter("buildimages_skips_total", "Outputs found current in the manifest, not rendered.", Skips);
        Counter("buildimages_coalesced_total", "Requests that waited for a render already asked for instead of adding one.", CoalescedWaits);
        Counter("buildimages_batches_total", "Batches built.", Interlocked.Read(ref _batches));
        Counter("buildimages_image_cache_hits_total", "Decoded-image cache hits while rendering.", Interlocked.Read(ref _cacheHits));
        Counter("buildimages_image_cache_misses_total", "Decoded-image cache misses (decodes) while rendering.", Interlocked.Read(ref _cacheMisses));
        sb.Append("# HELP buildimages_failures_total Errors by diagnostic code.\n# TYPE buildimages_failures_total counter\n");
        foreach (var (code, n) in _failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"buildimages_failures_total{{code=\"{code}\"}} {n}\n");
        }
        sb.Append("# HELP buildimages_requests_total Requests answered, by route and status.\n# TYPE buildimages_requests_total counter\n");
        foreach (var ((route, status), n) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            sb.Append(CultureInfo.InvariantCulture, $"buildimages_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n");
        }
        sb.Append("# HELP buildimages_queue_depth Hook items waiting for a batch.\n# TYPE buildimages_queue_depth gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"buildimages_queue_depth {QueueDepth()}\n");
        sb.Append("# HELP buildimages_in_flight Hook items in the batch being rendered.\n# TYPE buildimages_in_flight gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"buildimages_in_flight {InFlight()}\n");
        _render.Write(sb);
        _request.Write(sb);
        return sb.ToString();
    }
}
