namespace BuildImages.Core.Caching;

/// <summary>A request the store answered with a failure: what it said, and whether asking again could help (5xx, throttling) or not (denied, no such bucket).</summary>
internal sealed class CacheRequestException(string message, bool retry) : Exception(message)
{
    internal bool Retry { get; } = retry;
}
