namespace BuildImages.Core.Caching;

/// <summary>A request the store answered with a failure: what it said, and whether asking again could help (5xx, throttling) or not (denied, no such bucket).</summary>
internal sealed class CacheRequestException(string message, bool retry) : Exception(message)
{
    internal bool Retry { get; } = retry;

    /// <summary>A failure answered with an HTTP status, the same rule for every store: no answer (0), throttling (429) and 5xx are worth another try.</summary>
    internal static CacheRequestException ForStatus(string message, int status) => new(message, status is 0 or 429 or >= 500);
}
