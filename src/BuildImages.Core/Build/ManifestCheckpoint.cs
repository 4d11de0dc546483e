using System.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// Saves the manifest now and then while rendering, so a killed build keeps the record of what it finished.
/// The interval stretches to twenty times the last save's duration, so a large manifest never costs more than
/// a twentieth of a worker.
/// </summary>
internal sealed class ManifestCheckpoint(ManifestStore store, TimeSpan interval, Func<ManifestDocument> snapshot)
{
    private readonly Lock _lock = new();
    private long _last = Stopwatch.GetTimestamp();
    private TimeSpan _wait;

    internal void MaybeSave()
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _last)) < (_wait > interval ? _wait : interval) || !_lock.TryEnter())
        {
            return;
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            store.Save(snapshot());
            _wait = TimeSpan.FromTicks(Math.Max(interval.Ticks, Stopwatch.GetElapsedTime(started).Ticks * 20));
            Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
        }
        finally
        {
            _lock.Exit();
        }
    }
}
