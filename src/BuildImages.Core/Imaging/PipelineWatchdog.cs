using NetVips;

namespace BuildImages.Core.Imaging;

/// <summary>
/// A time limit for one file's libvips work: when it passes, the image being evaluated is killed (libvips checks the
/// flag between tiles and fails the sink). A timer rather than a managed progress callback, which would be called
/// for every tile.
/// </summary>
internal sealed class PipelineWatchdog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly TimeSpan _limit;
    private Image? _current;
    private bool _expired;

    internal PipelineWatchdog(TimeSpan limit)
    {
        _limit = limit;
        _timer = new Timer(_ => Expire(), null, limit, Timeout.InfiniteTimeSpan);
    }

    internal bool Expired
    {
        get
        {
            lock (_lock)
            {
                return _expired;
            }
        }
    }

    /// <summary>
    /// Runs work that evaluates <paramref name="image"/>, killed if the limit passes meanwhile; throws a
    /// <see cref="VipsException"/> when the limit has passed before or while it ran (the caller reports it as over
    /// the limit through <see cref="Expired"/>).
    /// </summary>
    internal T Run<T>(Image image, Func<T> work)
    {
        // libvips looks at the kill flag only on images that report progress; no handler is connected, so nothing
        // crosses into managed code per tile.
        image.SetProgress(true);
        lock (_lock)
        {
            // The timer runs on the thread pool and can be late under load: the clock decides too. A kill set before
            // the evaluation starts is cleared by it (libvips 8.18 resets the flag in preeval): do not start at all.
            _expired |= _clock.Elapsed >= _limit;
            if (_expired)
            {
                throw new VipsException("the time limit passed before this step");
            }
            _current = image;
        }
        T result;
        try
        {
            result = work();
        }
        finally
        {
            lock (_lock)
            {
                _current = null;
            }
        }
        // A kill that landed between the check above and the evaluation's start was cleared; the clock still decides.
        if (Expired || _clock.Elapsed >= _limit)
        {
            lock (_lock)
            {
                _expired = true;
            }
            (result as IDisposable)?.Dispose();
            throw new VipsException("the time limit passed while this step ran");
        }
        return result;
    }

    private void Expire()
    {
        lock (_lock)
        {
            _expired = true;
            _current?.SetKill(true);
        }
    }

    public void Dispose() => _timer.Dispose();
}
