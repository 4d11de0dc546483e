namespace BuildImages.Core.Caching;

/// <summary>
/// One kind of store under the remote cache (the Bazel HTTP protocol, S3, Azure Blob Storage): gets and puts the objects
/// named <c>area/name</c>. A transport only moves bytes; retries, the breaker and the counts belong to
/// <see cref="CacheClient"/>, the same for every store.
/// </summary>
internal interface ICacheTransport
{
    /// <summary>
    /// The object's bytes; null when it is not there, or when it is larger than <paramref name="maxBytes"/> (nothing
    /// this build writes is, so it is not ours). A failed request throws <see cref="CacheRequestException"/> (or the
    /// network's own exception).
    /// </summary>
    byte[]? Get(string area, string name, long maxBytes, CancellationToken cancellation);

    /// <summary>Stores the object, replacing any under its name (a damaged object is replaced by the good bytes).</summary>
    void Put(string area, string name, byte[] body, CancellationToken cancellation);
}
