using System.Collections.Concurrent;

namespace BuildImages.Tool.Serve;

/// <summary>
/// When each item was last unpublished by a signed request (its signature's timestamp, Unix milliseconds), for as long as a signature can
/// be within the window. A publish signed before that is a copy of an older request, not the CMS publishing again:
/// without this, a captured publish sent after the unpublish would bring the card back.
/// </summary>
internal sealed class UnpublishLedger(TimeProvider time, TimeSpan window)
{
    private readonly ConcurrentDictionary<(string Job, string Id), long> _unpublishedAt = new();
    private long _nextSweep;

    internal void Record(string job, string id, long signedAt)
    {
        Sweep();
        _unpublishedAt.AddOrUpdate((job, id), signedAt, (_, before) => Math.Max(before, signedAt));
    }

    /// <summary>The time the item was unpublished at, when that is after <paramref name="signedAt"/>; else null.</summary>
    internal long? After(string job, string id, long signedAt) =>
        _unpublishedAt.TryGetValue((job, id), out var at) && at > signedAt ? at : null;

    private void Sweep()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < Interlocked.Read(ref _nextSweep))
        {
            return;
        }
        Interlocked.Exchange(ref _nextSweep, now + (long)window.TotalMilliseconds);
        foreach (var (key, at) in _unpublishedAt)
        {
            // A publish signed before this is out of the window by now, whatever the ledger says.
            if (at < now - (2 * (long)window.TotalMilliseconds))
            {
                _unpublishedAt.TryRemove(key, out _);
            }
        }
    }
}
