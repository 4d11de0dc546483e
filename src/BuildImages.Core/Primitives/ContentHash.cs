using System.Security.Cryptography;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>SHA-256 in lower-case hex: file contents, and keys built from parts.</summary>
internal static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfText(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>A key over named parts; the separator cannot occur in the parts' hex or names.</summary>
    public static string OfParts(params IEnumerable<string> parts) => OfText(Joined(parts));

    /// <summary>The first 128 bits of <see cref="OfParts"/> as a number: an in-memory claim key, never formatted and parsed back.</summary>
    internal static UInt128 Claim(params IEnumerable<string> parts)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(Joined(parts)), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    /// <summary>The <see cref="Claim"/> of a key <see cref="OfParts"/> made: the number its first 32 hex digits write.</summary>
    internal static UInt128 ClaimOf(string key) =>
        UInt128.Parse(key.AsSpan(0, 32), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SHA-256 of a regular file; a pipe, socket or device (which could be read forever, or block) is an IOException naming it.</summary>
    public static string OfFile(string path)
    {
        // Opening a pipe blocks and reading a device may never end: look at what the path is first (Linux), and read
        // no more than the size the file has (everywhere: a device reports none).
        Native.FileKind.ThrowIfSpecial(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (!stream.CanSeek)
        {
            throw new IOException($"'{path}' is not a regular file (a pipe, a socket or a device)");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var left = stream.Length;
        int read;
        while (left > 0 && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left))) > 0)
        {
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The parts as one text; the separator cannot occur in the parts' hex or names.</summary>
    private static string Joined(IEnumerable<string> parts) => string.Join('\u001f', parts);
}
