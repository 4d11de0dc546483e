using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Bounds the memory that request bodies being read and checked can take, whoever sends them: at most
/// <see cref="Slots"/> bodies (of at most the body limit each) at once, in buffers from a pool of that many, so the
/// memory is reused rather than left for the collector; a request that finds no slot within a few seconds is refused
/// (503), not queued without end. A body keeps its slot only until its signature is checked (<see cref="RentedBody"/>).
/// </summary>
internal sealed class RequestBodyBudget
{
    /// <summary>All bodies being read at once take no more than this.</summary>
    internal const long TotalBytes = 64L << 20;

    private readonly long _maxBody;
    private readonly SemaphoreSlim _slots;
    private readonly ArrayPool<byte> _buffers;

    internal RequestBodyBudget(long maxBody)
    {
        _maxBody = Math.Clamp(maxBody, 1, Array.MaxLength);
        Slots = (int)Math.Clamp(TotalBytes / _maxBody, 2, 256);
        _slots = new SemaphoreSlim(Slots, Slots);
        _buffers = ArrayPool<byte>.Create((int)Math.Min(_maxBody, 1 << 30), Slots);
    }

    internal int Slots { get; }

    /// <summary>The body (dispose it to free its slot); or null with <paramref name="refusal"/> set to 413 (larger than the limit) or 503 (no slot in time).</summary>
    internal async Task<(RentedBody? Body, int Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > _maxBody)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(5), cancellation).ConfigureAwait(false))
        {
            return (null, StatusCodes.Status503ServiceUnavailable);
        }
        var buffer = _buffers.Rent((int)Math.Min(_maxBody, request.ContentLength ?? _maxBody));
        var body = new RentedBody(buffer, () =>
        {
            _buffers.Return(buffer);
            _slots.Release();
        });
        try
        {
            // Kestrel holds a declared length to its word; a chunked body is read up to the limit, and one byte more is a 413.
            var limit = (int)(request.ContentLength ?? _maxBody);
            var read = 0;
            int n;
            while (read < limit && (n = await request.Body.ReadAsync(buffer.AsMemory(read, limit - read), cancellation).ConfigureAwait(false)) > 0)
            {
                read += n;
            }
            if (request.ContentLength is null && read == limit && await request.Body.ReadAsync(new byte[1], cancellation).ConfigureAwait(false) > 0)
            {
                body.Dispose();
                return (null, StatusCodes.Status413PayloadTooLarge);
            }
            body.Length = read;
            return (body, 0);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException && !cancellation.IsCancellationRequested)
        {
            body.Dispose();
            // Kestrel reports a malformed body (a chunk size past any limit, bad framing) as an I/O error: the client's, not ours.
            throw new BadHttpRequestException($"the body could not be read: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
