using System.Buffers;
using System.Buffers.Binary;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A key held as a build makes it: 64 lower-case hex digits (a SHA-256, every rendered output's key) as its 32 bytes,
/// anything else as its string. An outcome kept until a build's end holds one: a million outputs would otherwise hold
/// a million 150-byte strings when the build's memory peaks.
/// </summary>
internal readonly record struct CompactKey
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Marks a packed key by reference (no flag field: eight bytes more in every outcome).</summary>
    private static readonly string Packed = new('\0', 1);

    private readonly UInt128 _high;
    private readonly UInt128 _low;

    /// <summary>The key when it is not 64 lower-case hex digits (or null for none); <see cref="Packed"/> when the bytes hold it.</summary>
    private readonly string? _other;

    private CompactKey(UInt128 high, UInt128 low) => (_high, _low, _other) = (high, low, Packed);

    private CompactKey(string? other) => _other = other;

    internal static CompactKey From(string? key)
    {
        if (!IsPackable(key))
        {
            return new CompactKey(key);
        }
        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(key, bytes, out _, out _);
        return new CompactKey(BinaryPrimitives.ReadUInt128BigEndian(bytes), BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));
    }

    /// <summary>
    /// Whether <paramref name="key"/> is held as its 32 bytes: 64 lower-case hex digits (a SHA-256, every rendered
    /// output's key). Only lower-case hex is packed, so the text given is always the text read back.
    /// </summary>
    internal static bool IsPackable([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? key) =>
        key is { Length: 64 } && !key.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>A packed key from the 32 bytes <see cref="TryWrite"/> wrote.</summary>
    internal static CompactKey FromBytes(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(bytes), BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));

    /// <summary>Writes the key's 32 bytes to <paramref name="to"/> when it is packed; false (nothing written) when it is held as text.</summary>
    internal bool TryWrite(Span<byte> to)
    {
        if (!ReferenceEquals(_other, Packed))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt128BigEndian(to, _high);
        BinaryPrimitives.WriteUInt128BigEndian(to[16..], _low);
        return true;
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
            BinaryPrimitives.WriteUInt128BigEndian(bytes, _high);
            BinaryPrimitives.WriteUInt128BigEndian(bytes[16..], _low);
            return Convert.ToHexStringLower(bytes);
        }
    }

    public override string ToString() => Text ?? string.Empty;
}
