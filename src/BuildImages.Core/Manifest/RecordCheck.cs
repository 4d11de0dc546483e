using System.Security.Cryptography;
using System.Text.Json;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A manifest record's check: the first 16 hex digits of the SHA-256 of the record serialised without it. The
/// manifest lives in CI caches and on disks; what decides a skip is checked against the inputs and the files, but a
/// record's other values (its key, output stem, sizes, alt text) go straight into the report and images.json. A
/// record whose check does not match is dropped when the manifest is read (BI0031) and its outputs render again,
/// so nothing damaged is passed on. Records written before the check existed have none, are read as before, and get one
/// when the manifest is next saved.
/// </summary>
internal static class RecordCheck
{
    /// <summary>The hex digits of a check.</summary>
    private const int Digits = 16;

    [ThreadStatic]
    private static IncrementalHash? t_hash;

    /// <summary>What a sealed record's bytes hold between its plain bytes (less their closing brace) and its check's digits.</summary>
    private static ReadOnlySpan<byte> CheckName => ",\"check\":\""u8;

    /// <summary>The record with its check set.</summary>
    internal static ItemRecord Sealed(ItemRecord record)
    {
        var plain = record with { Check = null };
        return plain with { Check = CheckOf(Serialize(plain).AsSpan(..^1)) };
    }

    /// <summary>
    /// The record serialised with its check set, made with one serialisation: the check is the last property the
    /// serializer writes, so the sealed form is the plain one with it appended (what <see cref="Sealed"/> serialises).
    /// </summary>
    internal static byte[] SealedJson(ItemRecord record) => SealedJsonIfHolds(record with { Check = null })!;

    /// <summary>
    /// For a record read from a manifest: its sealed form (<see cref="SealedJson"/>) when it has no check or the one its
    /// values give (one written before checks existed gets one), else null (damaged).
    /// </summary>
    internal static byte[]? SealedJsonIfHolds(ItemRecord record)
    {
        var plain = Serialize(record.Check is null ? record : record with { Check = null });
        var check = CheckOf(plain.AsSpan(..^1));
        if (record.Check is not null && record.Check != check)
        {
            return null;
        }
        // An object with required properties: never "{}", always ending in its closing brace; the check is hex, which JSON writes as it is.
        var sealedJson = new byte[plain.Length - 1 + CheckName.Length + Digits + 2];
        plain.AsSpan(..^1).CopyTo(sealedJson);
        var at = plain.Length - 1;
        CheckName.CopyTo(sealedJson.AsSpan(at));
        at += CheckName.Length;
        at += System.Text.Encoding.ASCII.GetBytes(check, sealedJson.AsSpan(at));
        "\"}"u8.CopyTo(sealedJson.AsSpan(at));
        return sealedJson;
    }

    /// <summary>
    /// A record's bytes as a manifest holds them (copied out of the file), when they are its sealed form: they end in a
    /// check that holds for the bytes before it. The same array, kept without serialising the record again; else null
    /// (the record is then sealed from its values, <see cref="SealedJsonIfHolds"/>, which also takes a manifest
    /// reformatted by hand).
    /// </summary>
    internal static byte[]? SealedAsWritten(byte[] json) => HoldsAsWritten(json) ? json : null;

    private static bool HoldsAsWritten(ReadOnlySpan<byte> json)
    {
        var tail = CheckName.Length + Digits + 2;
        if (json.Length <= tail + 1 || !json[^tail..].StartsWith(CheckName) || !json[^2..].SequenceEqual("\"}"u8))
        {
            return false;
        }
        Span<byte> digits = stackalloc byte[Digits];
        System.Text.Encoding.ASCII.GetBytes(CheckOf(json[..^tail]), digits);
        return json.Slice(json.Length - 2 - Digits, Digits).SequenceEqual(digits);
    }

    private static byte[] Serialize(ItemRecord plain) => JsonSerializer.SerializeToUtf8Bytes(plain, ManifestJsonContext.Default.ItemRecord);

    /// <summary>The check of a plain record whose bytes are <paramref name="body"/> and its closing brace.</summary>
    private static string CheckOf(ReadOnlySpan<byte> body)
    {
        var hash = t_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(body);
        hash.AppendData("}"u8);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..(Digits / 2)]);
    }
}
