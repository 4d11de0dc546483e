using System.Security.Cryptography;
using System.Text;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Webhook authentication: an HMAC-SHA256 signature of the raw body (<c>X-BuildImages-Signature: sha256=HEX</c>, or
/// GitHub's <c>X-Hub-Signature-256</c>), or a bearer token. Secrets come from the environment or a file, never from
/// the configuration in the repository. Every comparison takes the same time whatever the guess.
/// </summary>
internal sealed class HookAuth(byte[]? secret, byte[]? token, byte[]? readToken)
{
    internal static readonly string[] SignatureHeaders = ["X-BuildImages-Signature", "X-Hub-Signature-256"];

    internal bool Configured => secret is not null || token is not null;

    internal bool ReadsProtected => readToken is not null;

    /// <summary>Null when the request may change outputs; else why not (for the 401 body, naming no secret).</summary>
    internal string? CheckWrite(Func<string, string?> headers, ReadOnlySpan<byte> body)
    {
        if (!Configured)
        {
            return null;
        }
        if (token is not null && Bearer(headers) is { } offered && SameSecret(offered, token))
        {
            return null;
        }
        if (secret is not null)
        {
            var header = SignatureHeaders.Select(headers).FirstOrDefault(v => v is not null);
            if (header is null)
            {
                return token is null ? "the request has no X-BuildImages-Signature header" : "the request has no valid bearer token and no X-BuildImages-Signature header";
            }
            if (!header.StartsWith("sha256=", StringComparison.Ordinal) || !TryHex(header.AsSpan(7), out var signature))
            {
                return "the signature must be sha256= followed by the hex HMAC-SHA256 of the body";
            }
            var expected = HMACSHA256.HashData(secret, body);
            return CryptographicOperations.FixedTimeEquals(expected, signature) ? null : "the signature does not match the body";
        }
        return "the request has no valid bearer token";
    }

    /// <summary>Null when reads are public or the request carries the read token (or the write token).</summary>
    internal string? CheckRead(Func<string, string?> headers)
    {
        if (readToken is null)
        {
            return null;
        }
        return Bearer(headers) is { } offered && (SameSecret(offered, readToken) || (token is not null && SameSecret(offered, token))) ? null : "this server's reads need a bearer token";
    }

    private static string? Bearer(Func<string, string?> headers) =>
        headers("Authorization") is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..].Trim() : null;

    // Hashing both first makes the comparison's time independent of the lengths as well as the bytes.
    private static bool SameSecret(string offered, byte[] secretBytes) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(offered)), SHA256.HashData(secretBytes));

    private static bool TryHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A secret from an environment variable, else from a file (trailing newline dropped), else null.</summary>
    internal static byte[]? Load(string? environmentVariable, string? file)
    {
        if (environmentVariable is not null && Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } value)
        {
            return Encoding.UTF8.GetBytes(value);
        }
        if (file is not null)
        {
            var text = File.ReadAllText(file).TrimEnd('\r', '\n');
            return text.Length > 0 ? Encoding.UTF8.GetBytes(text) : throw new InvalidDataException($"{file} is empty");
        }
        return null;
    }
}
