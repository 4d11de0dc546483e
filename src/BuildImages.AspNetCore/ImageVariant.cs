namespace BuildImages.AspNetCore;

/// <summary>One file BuildImages wrote for an item: where it is, its URL (with the cache-busting part), pixel size, MIME type and size in bytes.</summary>
/// <param name="Path">The file's path below the web root ('/' separated), e.g. <c>og/hello.jpg</c>.</param>
/// <param name="Url">The URL images.json gives: absolute when the configuration has a baseUrl, else starting with '/'.</param>
/// <param name="Width">Pixel width.</param>
/// <param name="Height">Pixel height.</param>
/// <param name="Type">MIME type, e.g. <c>image/webp</c>.</param>
/// <param name="Bytes">Size of the file.</param>
public sealed record ImageVariant(string Path, string Url, int Width, int Height, string Type, long Bytes);
