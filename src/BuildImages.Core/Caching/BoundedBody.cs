namespace BuildImages.Core.Caching;

/// <summary>Reads an object's body whole, never past a bound: a store that answers with more than any output is not read on.</summary>
internal static class BoundedBody
{
    /// <summary>The bytes, or null when there are more than <paramref name="maxBytes"/>.</summary>
    internal static byte[]? Read(Stream body, long? announced, long maxBytes, CancellationToken cancellation)
    {
        if (announced > maxBytes)
        {
            return null;
        }
        using var memory = new MemoryStream(announced is > 0 and <= int.MaxValue ? (int)announced.Value : 0);
        var buffer = new byte[81920];
        int read;
        // Read asynchronously under the caller's deadline: a store that stalls mid-body is a timeout, not a hang.
        while ((read = body.ReadAsync(buffer, cancellation).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (memory.Length + read > maxBytes)
            {
                return null;
            }
            memory.Write(buffer, 0, read);
        }
        return memory.ToArray();
    }
}
