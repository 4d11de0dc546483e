using System.Buffers.Binary;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A key held as a build makes it: 64 lower-case hex digits (a SHA-256, every rendered output's key) as its 32 bytes,
/// anything else as its string. An outcome kept until a build's end holds one: a million outputs would otherwise hold
/// a million 150-byte strings when the build's memory peaks.
/// </summary>
internal readonly record struct CompactKey
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>The key when it is not 64 lower-case hex digits (or null for none); <see cref="Packed"/> when the bytes hold it.</summary>
    private readonly string? _other;

    /// <summary>Marks a packed key by reference (no flag field: eight bytes more in every outcome).</summary>
    private static readonly string Packed = new('\0', 1);

    private CompactKey(ReadOnlySpan<byte> sha)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(sha);
        _b = BinaryPrimitives.ReadUInt64BigEndian(sha[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(sha[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(sha[24..]);
        _other = Packed;
    }

    private CompactKey(string? other) => _other = other;

    internal static CompactKey From(string? key)
    {
        // Only lower-case hex is packed, so the text given is always the text read back.
        if (key is not { Length: 64 } || !key.AsSpan().ContainsOnlyLowerHex())
        {
            return new CompactKey(key);
        }
        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(key, bytes, out _, out _);
        return new CompactKey(bytes);
    }

    /// <summary>The key's text, made anew on each call when packed.</summary>
    internal string? Text
    {
        get
        {
            if (!ReferenceEquals(_other, Packed))
            {
                return _other;
            }
            Span<byte> bytes = stackalloc byte[32];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _a);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _b);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], _c);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], _d);
            return Convert.ToHexStringLower(bytes);
        }
    }

    public override string ToString() => Text ?? string.Empty;
}

file static class LowerHex
{
    internal static bool ContainsOnlyLowerHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}
