namespace BuildImages.Core.Serving;

/// <summary>How the hook server's render pool runs.</summary>
public sealed record HookQueueOptions
{
    /// <summary>Items that may wait for a batch; past it a request is refused (the server answers 429).</summary>
    public int Capacity { get; init; } = 1000;

    /// <summary>Render worker threads per batch (each with its own native renderer); 0: one per core.</summary>
    public int Workers { get; init; }

    /// <summary>How long a batch waits for another build holding the output folder (a nightly build) before its items fail.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The remote cache replicas share: a card one replica rendered is fetched by the others instead of rendered again; null: none.</summary>
    public Caching.RemoteCacheOptions? RemoteCache { get; init; }
}
