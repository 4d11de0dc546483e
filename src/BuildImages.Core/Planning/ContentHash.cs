using System.Security.Cryptography;

namespace BuildImages.Core.Planning;

/// <summary>SHA-256 in lower-case hex: file contents, and keys built from parts.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfText(string text) => Of(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A key over named parts; the separator cannot occur in the parts' hex or names.</summary>
    public static string OfParts(params IEnumerable<string> parts) => OfText(string.Join('\u001f', parts));

    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
