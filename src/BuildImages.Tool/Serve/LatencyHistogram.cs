using System.Globalization;
using System.Text;

namespace BuildImages.Tool.Serve;

/// <summary>A Prometheus histogram of seconds with fixed buckets, safe to observe from many threads.</summary>
internal sealed class LatencyHistogram(string name, string help)
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicros;

    internal void Observe(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(elapsed.Ticks / 10));
    }

    internal long Count => _counts.Sum(c => Interlocked.Read(ref c));

    internal void Write(StringBuilder sb)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{Bounds[i]}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {cumulative}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{name}_sum {Interlocked.Read(ref _sumMicros) / 1e6}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{name}_count {cumulative}\n");
    }
}
