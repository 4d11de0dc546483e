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
    /// <summary>The record with its check set.</summary>
    internal static ItemRecord Sealed(ItemRecord record)
    {
        var plain = record with { Check = null };
        return plain with { Check = Of(plain) };
    }

    /// <summary>
    /// The record serialised with its check set, made with one serialisation: the check is the last property the
    /// serializer writes, so the sealed form is the plain one with it appended (what <see cref="Sealed"/> serialises).
    /// </summary>
    internal static byte[] SealedJson(ItemRecord record)
    {
        var plain = Serialize(record.Check is null ? record : record with { Check = null });
        return Append(plain, CheckOf(plain));
    }

    /// <summary>
    /// For a record read from a manifest: its sealed form (<see cref="SealedJson"/>) when it has no check or the one its
    /// values give (one written before checks existed gets one), else null (damaged).
    /// </summary>
    internal static byte[]? SealedJsonIfHolds(ItemRecord record)
    {
        var plain = Serialize(record.Check is null ? record : record with { Check = null });
        var check = CheckOf(plain);
        return record.Check is null || record.Check == check ? Append(plain, check) : null;
    }

    private static byte[] Serialize(ItemRecord plain) => JsonSerializer.SerializeToUtf8Bytes(plain, ManifestJsonContext.Default.ItemRecord);

    private static string Of(ItemRecord plain) => CheckOf(Serialize(plain));

    private static string CheckOf(byte[] plain) => Convert.ToHexStringLower(SHA256.HashData(plain))[..16];

    private static byte[] Append(byte[] plain, string check)
    {
        // An object with required properties: never "{}", always ending in its closing brace; the check is hex, which JSON writes as it is.
        ReadOnlySpan<byte> name = ",\"check\":\""u8;
        var sealedJson = new byte[plain.Length - 1 + name.Length + check.Length + 2];
        plain.AsSpan(0, plain.Length - 1).CopyTo(sealedJson);
        var at = plain.Length - 1;
        name.CopyTo(sealedJson.AsSpan(at));
        at += name.Length;
        at += System.Text.Encoding.ASCII.GetBytes(check, sealedJson.AsSpan(at));
        sealedJson[at] = (byte)'"';
        sealedJson[at + 1] = (byte)'}';
        return sealedJson;
    }
}
