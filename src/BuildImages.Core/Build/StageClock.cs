using System.Diagnostics;

namespace BuildImages.Core.Build;

/// <summary>Build stages whose time the report gives.</summary>
internal enum BuildStage
{
    Plan,
    Check,
    Template,
    Layout,
    Draw,
    Encode,
    Write,
    Copy,
    Finish,
}

/// <summary>Time spent per stage, summed over worker threads (so render stages can exceed wall time).</summary>
internal sealed class StageClock
{
    private readonly long[] _ticks = new long[Enum.GetValues<BuildStage>().Length];

    public T Time<T>(BuildStage stage, Func<T> work)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Interlocked.Add(ref _ticks[(int)stage], Stopwatch.GetTimestamp() - start);
        }
    }

    public void Time(BuildStage stage, Action work) => Time(stage, () =>
    {
        work();
        return 0;
    });

    public IReadOnlyDictionary<string, double> Milliseconds() =>
        Enum.GetValues<BuildStage>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => Math.Round(Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)s])).TotalMilliseconds, 1));
}
