namespace BuildImages.Core.Assets;

/// <summary>The bytes of an image reference and where they came from (a file, or a data: URI).</summary>
public sealed record AssetSource(string Reference, byte[] Bytes, string? FilePath, bool IsSvg);
