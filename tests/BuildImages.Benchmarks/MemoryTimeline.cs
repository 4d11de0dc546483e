using System.Diagnostics;
using System.Globalization;

namespace BuildImages.Benchmarks;

/// <summary>Samples resident and managed memory twice a second, to tell steady growth (a leak) from a peak at one stage.</summary>
internal sealed class MemoryTimeline : IDisposable
{
    private readonly List<(double Seconds, long Rss, long Managed)> _samples = [];
    private readonly Timer _timer;
    private readonly Stopwatch _clock;
    private readonly bool _live = Environment.GetEnvironmentVariable("BI_BENCH_LIVE") == "1";
    private int _ticks;

    internal MemoryTimeline(Stopwatch clock)
    {
        _clock = clock;
        _timer = new Timer(_ => Sample(), null, 0, 500);
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>About twelve evenly spaced samples, and the largest.</summary>
    internal string Summary()
    {
        List<(double Seconds, long Rss, long Managed)> samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }
        if (samples.Count == 0)
        {
            return "no samples";
        }
        var step = Math.Max(1, samples.Count / 12);
        var shown = samples.Where((_, i) => i % step == 0).Select(Format);
        return string.Join(", ", shown) + "; largest " + Format(samples.MaxBy(s => s.Rss));
    }

    private static string Format((double Seconds, long Rss, long Managed) s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:0.0}: {s.Rss / 1048576.0:0}/{s.Managed / 1048576.0:0}");

    private void Sample()
    {
        using var self = Process.GetCurrentProcess();
        // BI_BENCH_LIVE=1 forces a full collection every 5 s so the managed figure is what is still reachable, not garbage awaiting a gen2 pass.
        var live = _live && _ticks++ % 10 == 0;
        if (_live && !live)
        {
            return;
        }
        var sample = (_clock.Elapsed.TotalSeconds, self.WorkingSet64, GC.GetTotalMemory(live));
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }
}
