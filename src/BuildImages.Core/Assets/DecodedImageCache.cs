using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace BuildImages.Core.Assets;

/// <summary>
/// Decoded raster images shared by every worker of an engine (a build, or a long-lived host): keyed by the file's
/// content hash and the pixel size a card draws it at, so a photo behind every third card is decoded once per
/// drawn size, at that size (libvips shrink-on-load), never once per card at full size. Bounded in bytes, least
/// recently used first out. Pixels are premultiplied BGRA in pinned arrays that no one writes after decoding, so
/// each worker wraps them in its own Skia image and many threads read them at once.
/// </summary>
internal sealed class DecodedImageCache(long maxBytes)
{
    internal const long DefaultMaxBytes = 256L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<RasterHeader>> _headers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Hash, int Width, int Height), Lazy<DecodedPixels>> _pixels = new();
    private readonly Lock _lru = new();
    private readonly LinkedList<(string Hash, int Width, int Height)> _order = new();
    private readonly Dictionary<(string Hash, int Width, int Height), LinkedListNode<(string Hash, int Width, int Height)>> _nodes = [];
    private long _bytes;
    private long _hits;
    private long _misses;

    internal long MaxBytes => maxBytes;

    /// <summary>Hits, misses (decodes) and the bytes held now.</summary>
    internal ImageCacheStats Stats() => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _bytes));

    /// <summary>The image's content hash and its upright size (EXIF orientation applied), read once per content.</summary>
    internal RasterHeader Header(byte[] bytes, Func<byte[], (int Width, int Height)> probe)
    {
        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        var lazy = _headers.GetOrAdd(hash, h => new Lazy<RasterHeader>(() =>
        {
            var (width, height) = probe(bytes);
            return new RasterHeader(h, width, height);
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A refused image is not remembered: each card that uses it gets its own error, naming its own reference.
            _headers.TryRemove(new KeyValuePair<string, Lazy<RasterHeader>>(hash, lazy));
            throw;
        }
    }

    /// <summary>The image decoded at exactly <paramref name="width"/>×<paramref name="height"/> pixels.</summary>
    internal DecodedPixels Get(RasterHeader header, byte[] bytes, int width, int height, Func<byte[], int, int, DecodedPixels> decode)
    {
        var key = (header.Hash, width, height);
        // Set by whichever thread's factory ran the decode: one miss per decode, a hit for everyone else.
        var decodedHere = false;
        var lazy = _pixels.GetOrAdd(key, _ => new Lazy<DecodedPixels>(() =>
        {
            decodedHere = true;
            return decode(bytes, width, height);
        }));
        DecodedPixels pixels;
        try
        {
            pixels = lazy.Value;
        }
        catch
        {
            // A failed decode is not cached: the error belongs to each card that asks.
            _pixels.TryRemove(new KeyValuePair<(string, int, int), Lazy<DecodedPixels>>(key, lazy));
            throw;
        }
        Interlocked.Increment(ref decodedHere ? ref _misses : ref _hits);
        Touch(key, decodedHere ? pixels.Bytes.Length : 0);
        return pixels;
    }

    private void Touch((string Hash, int Width, int Height) key, long added)
    {
        lock (_lru)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
            }
            else if (added > 0)
            {
                _nodes[key] = _order.AddFirst(key);
                _bytes += added;
            }
            // Evicting only drops the cache's reference: a card drawing from those pixels keeps them alive.
            while (_bytes > maxBytes && _order.Last is { } last && last != _order.First)
            {
                _order.RemoveLast();
                _nodes.Remove(last.Value);
                if (_pixels.TryRemove(last.Value, out var gone) && gone.IsValueCreated)
                {
                    _bytes -= gone.Value.Bytes.Length;
                }
            }
        }
    }
}

/// <summary>An image's content hash and upright pixel size.</summary>
internal sealed record RasterHeader(string Hash, int Width, int Height);

/// <summary>Decoded pixels: premultiplied BGRA (Skia's N32 here) in a pinned array, never written after decoding.</summary>
internal sealed record DecodedPixels(byte[] Bytes, int Width, int Height, int Stride);

/// <summary>What the image cache did in one build.</summary>
public sealed record ImageCacheStats(long Hits, long Misses, long Bytes)
{
    /// <summary>Hits over lookups, 0 when nothing was looked up.</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
