using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Caching;

/// <summary>
/// Outputs in the remote cache: the bytes under their SHA-256 (<c>cas/</c>), and for each output key a small signed
/// mapping to them (<c>ac/&lt;key&gt;</c>: the hash, the length and the quality the encoder chose). Content is
/// verified on every read: bytes that do not hash to the mapping's digest are a miss and a warning, never written. The
/// mapping is what could be poisoned (whoever can write the cache can point a key at other bytes), so with a signing
/// key a mapping must carry its HMAC over the key and the digest, or it is ignored.
/// </summary>
internal sealed class OutputCache : IDisposable
{
    /// <summary>No output this engine writes is larger (a 8192×8192 PNG is far below): anything larger is not ours.</summary>
    private const long MaxOutputBytes = 256L << 20;
    private const long MaxMappingBytes = 4096;

    private readonly RemoteCacheOptions _options;
    private readonly Action<string> _warn;

    private readonly CacheClient _client;

    /// <summary>
    /// What waits to be stored, in order (an output's bytes, then its mapping; a card's entry after its outputs): a
    /// worker hands it over and goes on drawing. Bounded, so a slow cache slows the workers rather than filling memory.
    /// </summary>
    private readonly System.Collections.Concurrent.BlockingCollection<Upload> _pending = new(boundedCapacity: 64);
    private readonly Task _uploader;
    private int _hits;
    private int _misses;
    private int _uploads;
    private int _corrupt;
    private int _unsigned;
    private int _uploadFailures;
    private int _lockFailures;

    internal OutputCache(RemoteCacheOptions options, Action<string> warn)
    {
        _options = options;
        _warn = warn;
        _client = new CacheClient(options, warn);
        _uploader = options.ReadOnly ? Task.CompletedTask : Task.Factory.StartNew(Upload, TaskCreationOptions.LongRunning);
    }

    /// <summary>The output stored under <paramref name="key"/>, verified; null when it is not there or cannot be trusted.</summary>
    internal CachedOutput? TryFetch(string key) => TryFetch(key, countMiss: true);

    /// <summary>
    /// After a miss: the lease to render <paramref name="key"/> under (null without a render lock, or when it failed),
    /// or the output another process stored while this one waited for its lock.
    /// </summary>
    internal (IDisposable? Lease, CachedOutput? Later) Claim(string key)
    {
        if (_options.RenderLock is not { } renderLock)
        {
            return (null, null);
        }
        IDisposable? lease;
        try
        {
            lease = renderLock.Acquire(key);
        }
        catch (Exception ex)
        {
            // Only duplicate work is at stake: render without the lock.
            WarnFirst(ref _lockFailures, $"the render lock failed ({ex.Message}); outputs are rendered without it");
            return (null, null);
        }
        if (lease is null)
        {
            return (null, TryFetch(key, countMiss: false));
        }
        // Another process may have stored the output and released the key between this build's look in the cache and
        // its claim: looked for once more, holding the key, so it is not drawn twice.
        if (TryFetch(key, countMiss: false) is { } stored)
        {
            new Lease(lease).Dispose();
            return (null, stored);
        }
        return (new Lease(lease), null);
    }

    /// <param name="key">The output key.</param>
    /// <param name="countMiss">Whether a missing entry counts as a miss (not when looking again after another process's render).</param>
    /// <param name="quiet">Count and say nothing (a whole card looked at first: the ordinary path counts and warns, once).</param>
    private CachedOutput? TryFetch(string key, bool countMiss, bool quiet = false)
    {
        if (_client.Get("ac", key, MaxMappingBytes) is not { } body || Mapping.Read(body) is not { } mapping)
        {
            if (countMiss && !quiet)
            {
                Interlocked.Increment(ref _misses);
            }
            return null;
        }
        if (_options.SigningKey is { } signingKey && (mapping.Signature is null || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(mapping.Signature), Sign(signingKey, key, mapping))))
        {
            if (!quiet)
            {
                Interlocked.Increment(ref _misses);
                WarnFirst(ref _unsigned, $"the remote cache's entry for output key {key[..12]}… is {(mapping.Signature is null ? "unsigned" : "signed with another key")}; it is ignored and the output rendered here");
            }
            return null;
        }
        var (bytes, damaged) = Content(mapping.Sha256, mapping.Bytes);
        if (bytes is null)
        {
            if (!quiet)
            {
                Interlocked.Increment(ref _misses);
                if (damaged)
                {
                    WarnFirst(ref _corrupt, $"the remote cache's object cas/{mapping.Sha256} does not match its hash (its bytes changed on the server); it is not used, and the output is rendered here{(_options.ReadOnly ? string.Empty : " and stored again")}");
                }
            }
            return null;
        }
        if (!quiet)
        {
            Interlocked.Increment(ref _hits);
        }
        return new CachedOutput(bytes, mapping.Quality, mapping.Width, mapping.Height, mapping.Source);
    }

    /// <summary>Queues a rendered output to be stored under its key (read-write only); <see cref="Finish"/> waits for the queue.</summary>
    /// <param name="key">The output key.</param>
    /// <param name="bytes">The output's bytes.</param>
    /// <param name="quality">The quality its encoder chose.</param>
    /// <param name="width">Its width in pixels.</param>
    /// <param name="height">Its height in pixels.</param>
    /// <param name="lease">The render lock's lease for the key, released once the output is stored (or at once when it is not).</param>
    /// <param name="source">A photo's source size (the report's savings need it, and a fetched photo is not decoded); null for a card.</param>
    internal void Store(string key, byte[] bytes, int quality, int width, int height, IDisposable? lease = null, (int Width, int Height)? source = null)
    {
        var mapping = new Mapping(ContentHash.Of(bytes), bytes.Length, quality, width, height, null) { Source = source };
        Enqueue(new Upload([("cas", mapping.Sha256, bytes), ("ac", key, Signed(key, mapping))], lease, Output: true));
    }

    /// <summary>
    /// Queues the mapping of an output this build made as a copy of another's bytes (equal pixels): only the mapping,
    /// as the bytes are stored under their hash already. Without it a build that lays the copy's card out itself
    /// (its owner fetched whole, or in another shard) would find nothing under the copy's key.
    /// </summary>
    internal void StoreCopy(string key, string sha256, long length, int quality, int width, int height) =>
        Enqueue(new Upload([("ac", key, Signed(key, new Mapping(sha256, length, quality, width, height, null)))], null, Output: false));

    /// <summary>
    /// Queues a card entry (what the card was made from and what its outputs came to, as the build writes it) under <paramref name="itemKey"/>, after
    /// its outputs: a build with the same pre-key whose files hash the same can then compute the card's output keys and
    /// fetch them without evaluating its template or laying it out (<see cref="TryFetchItem"/>).
    /// </summary>
    internal void StoreItem(string itemKey, byte[] card) =>
        Enqueue(new Upload([("ac", itemKey, ItemEntry.Wrap(card, _options.SigningKey is { } k ? Convert.ToHexStringLower(SignItem(k, itemKey, card)) : null))], null, Output: false));

    /// <summary>
    /// What <see cref="StoreItem"/> stored under <paramref name="itemKey"/>, when it is there and (with a signing key)
    /// signed with it; null otherwise. The caller checks what it says. Not counted as a hit or a miss: the card's
    /// outputs are what counts.
    /// </summary>
    internal byte[]? TryFetchItem(string itemKey)
    {
        if (_client.Get("ac", itemKey, ItemEntry.MaxBytes) is not { } body || ItemEntry.Unwrap(body) is not { } entry)
        {
            return null;
        }
        return _options.SigningKey is not { } signingKey
            || (entry.Signature is not null && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(entry.Signature), SignItem(signingKey, itemKey, entry.Card)))
            ? entry.Card
            : null;
    }

    /// <summary>The name a card's item entry is stored under: its pre-claim (pre-key and variants), a 64-digit hash as the Bazel protocol's <c>ac/</c> names are.</summary>
    internal static string ItemKey(string preClaim) => ContentHash.OfParts("buildimages-item-v1", preClaim);

    /// <summary>Outputs fetched by a build that took a whole card at once (<see cref="TryFetchItem"/>, then <see cref="Peek"/> per output): counted once all were there.</summary>
    internal void CountHits(int outputs) => Interlocked.Add(ref _hits, outputs);

    /// <summary>The output under <paramref name="key"/>, verified, without counting a hit or a miss (a whole card is fetched or not).</summary>
    internal CachedOutput? Peek(string key) => TryFetch(key, countMiss: false, quiet: true);

    /// <summary>
    /// The bytes a card entry names for one of its outputs (its own signed list, so no mapping is asked for), verified
    /// against the digest and length; null when they are not there or do not match. Quiet like <see cref="Peek"/>.
    /// </summary>
    internal CachedOutput? PeekContent(string sha256, long length, int quality, int width, int height) =>
        length is > 0 and <= MaxOutputBytes && Content(sha256, length).Bytes is { } bytes ? new CachedOutput(bytes, quality, width, height) : null;

    /// <summary>
    /// The object named <paramref name="sha256"/>, read no further than <paramref name="length"/> (a cache that answers
    /// with more is not read past it) and verified; <c>Damaged</c> when bytes came that are not those.
    /// </summary>
    private (byte[]? Bytes, bool Damaged) Content(string sha256, long length) =>
        _client.Get("cas", sha256, length) is not { } bytes ? (null, false)
        : bytes.Length != length || ContentHash.Of(bytes) != sha256 ? (null, true)
        : (bytes, false);

    private void Enqueue(Upload upload)
    {
        if (!_options.ReadOnly && !_client.IsOff && !_pending.IsAddingCompleted)
        {
            _pending.Add(upload);
        }
        else
        {
            upload.Lease?.Dispose();
        }
    }

    /// <summary>Stores what is queued and stops taking more; the stats are final after it.</summary>
    internal void Finish()
    {
        _pending.CompleteAdding();
        _uploader.Wait();
    }

    private void Upload()
    {
        foreach (var upload in _pending.GetConsumingEnumerable())
        {
            try
            {
                // In order, stopping at the first failure: the bytes before the mapping, so a reader never finds a mapping to nothing.
                if (upload.Puts.All(put => _client.Put(put.Area, put.Name, put.Body)) && upload.Output)
                {
                    Interlocked.Increment(ref _uploads);
                }
            }
            catch (Exception ex)
            {
                // The uploader must keep draining: a worker waiting on a full queue would otherwise wait forever.
                WarnFirst(ref _uploadFailures, $"the remote cache could not store {upload.Puts[^1].Area}/{upload.Puts[^1].Name[..12]}…: {ex.Message}");
            }
            finally
            {
                // Only now may a process waiting for this key look in the cache.
                upload.Lease?.Dispose();
            }
        }
    }

    private byte[] Signed(string key, Mapping mapping) =>
        (mapping with { Signature = _options.SigningKey is { } k ? Convert.ToHexStringLower(Sign(k, key, mapping)) : null }).ToBytes();

    /// <summary>Counts one more; says so for the first few only (the report has the count): a poisoned cache must not bury the build's other messages.</summary>
    private void WarnFirst(ref int count, string message)
    {
        if (Interlocked.Increment(ref count) <= 3)
        {
            _warn(message);
        }
    }

    internal RemoteCacheStats Stats() => new(_hits, _misses, _uploads, _client.BytesDown, _client.BytesUp, Math.Round(_client.Milliseconds, 1), _corrupt, _unsigned, _client.IsOff);

    /// <summary>HMAC-SHA256 over an item entry's bytes, bound to the item key it is stored under.</summary>
    private static byte[] SignItem(byte[] signingKey, string itemKey, byte[] card) =>
        HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes($"buildimages-item-v1\n{itemKey}\n{ContentHash.Of(card)}"));

    /// <summary>HMAC-SHA256 over what the mapping claims, bound to the key it is stored under (a signed mapping moved to another key does not check).</summary>
    private static byte[] Sign(byte[] signingKey, string key, Mapping mapping) =>
        HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes($"buildimages-output-v1\n{key}\n{mapping.Sha256}\n{mapping.Bytes}\n{mapping.Quality}\n{mapping.Width}\n{mapping.Height}"
            + (mapping.Source is { } source ? $"\nsource {source.Width}x{source.Height}" : string.Empty)));

    public void Dispose()
    {
        if (!_pending.IsAddingCompleted)
        {
            Finish();
        }
        _pending.Dispose();
    }

    /// <summary>The <c>ac/</c> entry: JSON, small, read defensively (anyone who can write the cache wrote it).</summary>
    private sealed record Mapping(string Sha256, long Bytes, int Quality, int Width, int Height, string? Signature)
    {
        /// <summary>A photo's source size (signed with the rest when present).</summary>
        internal (int Width, int Height)? Source { get; init; }

        internal byte[] ToBytes()
        {
            using var memory = new MemoryStream();
            using (var json = new Utf8JsonWriter(memory))
            {
                json.WriteStartObject();
                json.WriteString("sha256", Sha256);
                json.WriteNumber("bytes", Bytes);
                json.WriteNumber("quality", Quality);
                json.WriteNumber("width", Width);
                json.WriteNumber("height", Height);
                if (Source is { } source)
                {
                    json.WriteNumber("sourceWidth", source.Width);
                    json.WriteNumber("sourceHeight", source.Height);
                }
                if (Signature is not null)
                {
                    json.WriteString("signature", Signature);
                }
                json.WriteEndObject();
            }
            return memory.ToArray();
        }

        internal static Mapping? Read(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var sha = root.GetProperty("sha256").GetString();
                var signature = root.TryGetProperty("signature", out var s) ? s.GetString() : null;
                return sha is { Length: 64 } && sha.All(char.IsAsciiHexDigitLower)
                    && root.GetProperty("bytes").TryGetInt64(out var bytes) && bytes is > 0 and <= MaxOutputBytes
                    && root.GetProperty("quality").TryGetInt32(out var quality)
                    && root.GetProperty("width").TryGetInt32(out var width) && width is > 0 and <= 65535
                    && root.GetProperty("height").TryGetInt32(out var height) && height is > 0 and <= 65535
                    && (signature is null || (signature.Length == 64 && signature.All(char.IsAsciiHexDigitLower)))
                    ? new Mapping(sha, bytes, quality, width, height, signature) { Source = SourceSize(root) }
                    : null;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>Both or neither, each a size a photo can have.</summary>
        private static (int, int)? SourceSize(JsonElement root) =>
            root.TryGetProperty("sourceWidth", out var w) && w.TryGetInt32(out var width) && width is > 0 and <= 1_000_000
            && root.TryGetProperty("sourceHeight", out var h) && h.TryGetInt32(out var height) && height is > 0 and <= 1_000_000
                ? (width, height)
                : null;
    }
}

/// <summary>One thing to store: its requests in order, the render lock's lease to release after them, and whether it is an output (counted in the stats).</summary>
internal sealed record Upload(IReadOnlyList<(string Area, string Name, byte[] Body)> Puts, IDisposable? Lease, bool Output);

/// <summary>A render lock's lease that is released once, by whichever of the uploader or the failing worker gets to it.</summary>
internal sealed class Lease(IDisposable inner) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            try
            {
                inner.Dispose();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lock expires by itself; a failed release costs another process a wait, not a wrong card.
            }
        }
    }
}

/// <summary>An output fetched from the remote cache and verified: its bytes, the quality its encoder chose and its size (a photo's is known only once it is made).</summary>
internal sealed record CachedOutput(byte[] Bytes, int Quality, int Width, int Height, (int Width, int Height)? Source = null);
