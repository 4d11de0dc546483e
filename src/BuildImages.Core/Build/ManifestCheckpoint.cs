using System.Diagnostics;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Build;

/// <summary>
/// Saves the manifest now and then while rendering and copying, so a killed build keeps the record of what it
/// finished. The interval stretches to twenty times the last save's duration, so a large manifest never costs more
/// than a twentieth of a worker; an interval of zero asks for a save after every item and is taken as asked.
/// </summary>
internal sealed class ManifestCheckpoint(Action save, string file, TimeSpan interval, Action<Diagnostic> warn)
{
    private bool _warned;

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
            try
            {
                save();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A worker thread must not die of it; the final save reports an error if the disk is still refusing.
                if (!_warned)
                {
                    _warned = true;
                    warn(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WriteFailed, $"could not save a manifest checkpoint: {ex.Message}", file));
                }
            }
            _wait = interval == TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(interval.Ticks, Stopwatch.GetElapsedTime(started).Ticks * 20));
            Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
        }
        finally
        {
            _lock.Exit();
        }
    }
}
