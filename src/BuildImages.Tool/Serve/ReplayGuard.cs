using System.Collections.Concurrent;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Signatures accepted within the replay window, so each signed request is accepted once. An entry is forgotten when
/// its window has passed (a replay after that fails the timestamp check anyway). Bounded: past
/// <see cref="Capacity"/> live entries, new signed requests are refused until some expire, rather than the memory growing.
/// </summary>
internal sealed class ReplayGuard(TimeProvider time, TimeSpan window)
{
    internal const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>True the first time a signature is offered within the window; false for a repeat (or when full).</summary>
    internal bool FirstUse(byte[] signature)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now >= Interlocked.Read(ref _nextSweep) || _seen.Count >= Capacity)
        {
            Sweep(now);
        }
        // A timestamp may be up to one window in the future, so a signature stays valid for two windows from now at most.
        return _seen.Count < Capacity && _seen.TryAdd(Convert.ToHexString(signature), now + (2 * window.Ticks));
    }

    private void Sweep(long now)
    {
        Interlocked.Exchange(ref _nextSweep, now + window.Ticks);
        foreach (var (key, expires) in _seen)
        {
            if (expires <= now)
            {
                _seen.TryRemove(key, out _);
            }
        }
    }
}
