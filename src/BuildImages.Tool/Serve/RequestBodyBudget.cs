using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Bounds the memory that request bodies being read can take: at most <see cref="Slots"/> bodies (of at most the body
/// limit each) are read at once, whoever sends them; a request that finds no slot within a few seconds is refused
/// (503), not queued without end. Bodies are read into a buffer of their declared length, never grown past the limit.
/// </summary>
internal sealed class RequestBodyBudget
{
    /// <summary>All bodies being read at once take no more than this.</summary>
    internal const long TotalBytes = 64L << 20;

    private readonly long _maxBody;
    private readonly SemaphoreSlim _slots;

    internal RequestBodyBudget(long maxBody)
    {
        _maxBody = maxBody;
        Slots = (int)Math.Clamp(TotalBytes / Math.Max(1, maxBody), 2, 256);
        _slots = new SemaphoreSlim(Slots, Slots);
    }

    internal int Slots { get; }

    /// <summary>The body; or null with <paramref name="refusal"/> set to 413 (larger than the limit) or 503 (no slot in time).</summary>
    internal async Task<(byte[]? Body, int Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > _maxBody)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(5), cancellation).ConfigureAwait(false))
        {
            return (null, StatusCodes.Status503ServiceUnavailable);
        }
        try
        {
            if (request.ContentLength is { } length)
            {
                var body = new byte[length];
                var read = 0;
                int n;
                while (read < length && (n = await request.Body.ReadAsync(body.AsMemory(read), cancellation).ConfigureAwait(false)) > 0)
                {
                    read += n;
                }
                return read == length ? (body, 0) : throw new BadHttpRequestException("the body ended before its Content-Length");
            }
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int got;
            while ((got = await request.Body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + got > _maxBody)
                {
                    return (null, StatusCodes.Status413PayloadTooLarge);
                }
                buffer.Write(chunk, 0, got);
            }
            return (buffer.ToArray(), 0);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException && !cancellation.IsCancellationRequested)
        {
            // Kestrel reports a malformed body (a chunk size past any limit, bad framing) as an I/O error: the client's, not ours.
            throw new BadHttpRequestException($"the body could not be read: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }
        finally
        {
            _slots.Release();
        }
    }
}
