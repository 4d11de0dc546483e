using System.Security.Cryptography;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A JSON object that carries the SHA-256 of the rest of itself as its first member, <c>{"check":"…",…}</c>, so a
/// bookkeeping file damaged on disk or in a CI cache (a flipped byte, a hand edit that still parses) is recognised
/// and thrown away instead of believed. Not a signature: whoever can write the file can write a matching check.
/// </summary>
internal static class CheckedJson
{
    private static readonly byte[] Prefix = "{\"check\":\""u8.ToArray();

    /// <summary>Writes <paramref name="json"/> (a serialised object) with its check in front.</summary>
    internal static void Write(Stream destination, ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 || json[0] != '{')
        {
            throw new ArgumentException("only a JSON object carries a check", nameof(json));
        }
        destination.Write(Prefix);
        destination.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json))));
        destination.Write(json[1] == '}' ? "\"}"u8 : "\","u8);
        destination.Write(json[1..]);
    }

    /// <summary>The object without its check when the check matches the rest, else null (no check, or not the one written).</summary>
    internal static byte[]? Read(ReadOnlySpan<byte> file)
    {
        const int hex = 64;
        if (!file.StartsWith(Prefix) || file.Length < Prefix.Length + hex + 3 || file[Prefix.Length + hex] != '"')
        {
            return null;
        }
        var check = file.Slice(Prefix.Length, hex);
        var rest = file[(Prefix.Length + hex + 1)..];
        byte[]? json = rest[0] switch
        {
            (byte)'}' => "{}"u8.ToArray(),
            (byte)',' => [(byte)'{', .. rest[1..]],
            _ => null,
        };
        if (json is null)
        {
            return null;
        }
        Span<byte> expected = stackalloc byte[hex];
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json)), expected);
        return check.SequenceEqual(expected) ? json : null;
    }
}
