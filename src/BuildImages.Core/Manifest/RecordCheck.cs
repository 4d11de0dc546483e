using System.Security.Cryptography;
using System.Text.Json;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A manifest record's check: the first 16 hex digits of the SHA-256 of the record serialised without it. The
/// manifest lives in CI caches and on disks; what decides a skip is checked against the inputs and the files, but a
/// record's other values (its key, output stem, sizes, alt text) go straight into the report and images.json. A
/// record whose check does not match is dropped when the manifest is read (BI0031) and its outputs render again,
/// so nothing damaged is passed on. Records written before the check existed have none and are read as before.
/// </summary>
internal static class RecordCheck
{
    /// <summary>The record with its check set.</summary>
    internal static ItemRecord Sealed(ItemRecord record)
    {
        var plain = record with { Check = null };
        return plain with { Check = Of(plain) };
    }

    /// <summary>Whether the record has no check or the one its values give.</summary>
    internal static bool Holds(ItemRecord record) => record.Check is null || record.Check == Of(record with { Check = null });

    private static string Of(ItemRecord plain) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(plain, ManifestJsonContext.Default.ItemRecord)))[..16];
}
