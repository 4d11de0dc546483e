namespace BuildImages.Core.Primitives;

/// <summary>
/// The bytes of scratch records (fields, manifest records, outcomes) a build holds in memory, one
/// budget for all its stores: past it, each store writes to its scratch file. A budget each was four times the bytes
/// at a large build's peak, where every store is full. Thread-safe.
/// </summary>
internal sealed class ScratchBudget
{
    private long _left;

    /// <param name="bytes">Bytes the stores may hold in memory together.</param>
    internal ScratchBudget(long bytes) => _left = bytes;

    /// <summary>Takes <paramref name="bytes"/> when that many are left; false (nothing taken) when not.</summary>
    internal bool TryTake(long bytes)
    {
        for (var left = Volatile.Read(ref _left); left >= bytes;)
        {
            var seen = Interlocked.CompareExchange(ref _left, left - bytes, left);
            if (seen == left)
            {
                return true;
            }
            left = seen;
        }
        return false;
    }

    /// <summary>Counts <paramref name="bytes"/> held whatever is left (a store whose file cannot be written keeps them anyway).</summary>
    internal void Take(long bytes) => Interlocked.Add(ref _left, -bytes);

    /// <summary>Gives back <paramref name="bytes"/> a store no longer holds (one released before the build's end).</summary>
    internal void Give(long bytes) => Interlocked.Add(ref _left, bytes);
}
