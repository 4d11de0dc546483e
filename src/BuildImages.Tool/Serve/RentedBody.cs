namespace BuildImages.Tool.Serve;

/// <summary>A request body in a buffer of the <see cref="RequestBodyBudget"/>'s pool; disposing it returns the buffer and frees the slot (once).</summary>
internal sealed class RentedBody(byte[] buffer, Action release) : IDisposable
{
    private int _released;

    internal int Length { get; set; }

    internal ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
