using System.Text.Json.Serialization;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The manifest file: what every output was made from, by content only (no file times), so the same inputs give
/// the same manifest on every machine and through every front. Versioned; a file of another format or version
/// is ignored with a warning (full rebuild). File times live in the machine-local <see cref="StatCache"/>.
/// </summary>
public sealed class ManifestDocument
{
    public const string FormatName = "buildimages-manifest";
    public const int CurrentVersion = 1;

    public string Format { get; set; } = FormatName;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>Input sets by id: the engine and the files a render read. Cards share them, which keeps the manifest small.</summary>
    public Dictionary<string, InputSet> Inputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Item records (cards and photos) by <c>job:output</c>; "cards" in the JSON, as manifests have always said.</summary>
    public Dictionary<string, ItemRecord> Cards { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What an item (a card or a photo) was made from, and the files it became: its record in the manifest.</summary>
public sealed record ItemRecord
{
    public required string Job { get; init; }

    public required string Item { get; init; }

    public required string Source { get; init; }

    public required string Output { get; init; }

    public string? Alt { get; init; }

    public required string Template { get; init; }

    public required string Size { get; init; }

    public required string PreKey { get; init; }

    /// <summary>Short hash per data field.</summary>
    public required Dictionary<string, string> Fields { get; init; }

    /// <summary>Id of the <see cref="InputSet"/> the card was rendered from.</summary>
    public required string Inputs { get; init; }

    public required List<VariantRecord> Variants { get; init; }

    /// <summary>The record's check (<see cref="RecordCheck"/>); null in records written before it existed.</summary>
    public string? Check { get; init; }
}

/// <summary>The engine stamp and the files (by role, path → content hash) one or more cards were rendered from.</summary>
public sealed record InputSet
{
    public required string Engine { get; init; }

    public required SortedDictionary<string, string> Templates { get; init; }

    public required SortedDictionary<string, string> Fonts { get; init; }

    public required SortedDictionary<string, string> Assets { get; init; }

    /// <summary>A hash over the whole content: keys are built on it, and its first 16 digits are the set's id in the manifest.</summary>
    public string Hash() => BuildImages.Core.Primitives.ContentHash.OfParts([Engine, .. Templates.Concat(Fonts).Concat(Assets).Select(p => $"{p.Key}={p.Value}")]);

    [JsonIgnore]
    public IEnumerable<string> Files => Templates.Keys.Concat(Fonts.Keys).Concat(Assets.Keys);
}

/// <summary>One written file.</summary>
public sealed record VariantRecord
{
    /// <summary>The planned path, relative to the output folder.</summary>
    public required string Path { get; init; }

    /// <summary>The file actually written (differs from <see cref="Path"/> when the hash is in the file name).</summary>
    public required string File { get; init; }

    public required string Key { get; init; }

    public required string Options { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required string Mime { get; init; }

    public required long Bytes { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>The quality used after a byte-budget search.</summary>
    public int Quality { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(StreamedManifest))]
[JsonSerializable(typeof(Dictionary<string, InputSet>))]
[JsonSerializable(typeof(ItemRecord))]
[JsonSerializable(typeof(RecordOutline))]
[JsonSerializable(typeof(InputSet))]
[JsonSerializable(typeof(NativeRecord))]
[JsonSerializable(typeof(Dictionary<string, FileRecord>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
