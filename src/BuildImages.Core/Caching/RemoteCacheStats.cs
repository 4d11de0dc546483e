namespace BuildImages.Core.Caching;

/// <summary>What a build's remote cache did: outputs found and not found, bytes down and up, the time its requests took, and why it trusted nothing.</summary>
/// <param name="Hits">Outputs fetched and verified.</param>
/// <param name="Misses">Outputs looked up and not found (rendered locally).</param>
/// <param name="Uploads">Outputs stored after rendering (read-write only).</param>
/// <param name="BytesDown">Bytes fetched (mappings and outputs).</param>
/// <param name="BytesUp">Bytes stored.</param>
/// <param name="Milliseconds">Time spent in requests, summed over workers.</param>
/// <param name="Corrupt">Objects whose bytes did not match their hash (a miss, replaced in read-write mode).</param>
/// <param name="Unsigned">Mappings ignored because a signing key is set and they were unsigned or signed with another key.</param>
/// <param name="Off">Whether the cache was turned off during the build after failed requests (the rest rendered locally).</param>
public sealed record RemoteCacheStats(int Hits, int Misses, int Uploads, long BytesDown, long BytesUp, double Milliseconds, int Corrupt, int Unsigned, bool Off);
