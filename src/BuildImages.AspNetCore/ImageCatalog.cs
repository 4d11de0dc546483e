using System.Text.Json;

namespace BuildImages.AspNetCore;

/// <summary>
/// images.json read into typed entries, for any .NET code (a page, a sitemap, a static site generator): every item by
/// job and id. <see cref="Parse(Stream)"/> reads a file; in a web app, <see cref="ImageCatalogSource"/> keeps one
/// current from the web root.
/// </summary>
public sealed class ImageCatalog
{
    private readonly Dictionary<(string Job, string Item), ImageEntry> _byItem;

    /// <param name="entries">The items, in images.json's order.</param>
    public ImageCatalog(IReadOnlyList<ImageEntry> entries)
    {
        Entries = entries;
        _byItem = new Dictionary<(string, string), ImageEntry>();
        foreach (var entry in entries)
        {
            _byItem.TryAdd((entry.Job, entry.Item), entry);
        }
    }

    /// <summary>No items (images.json not made yet).</summary>
    public static ImageCatalog Empty { get; } = new([]);

    /// <summary>Every item, in images.json's order (jobs as configured, then by output path).</summary>
    public IReadOnlyList<ImageEntry> Entries { get; }

    /// <summary>The item of a job, or null.</summary>
    public ImageEntry? Find(string job, string item) => _byItem.GetValueOrDefault((job, item));

    /// <summary>Reads images.json (format version 1); a file of another format is an <see cref="InvalidDataException"/> saying so.</summary>
    public static ImageCatalog Parse(Stream utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var root = document.RootElement;
        if (!root.TryGetProperty("version", out var version) || version.GetInt32() != 1 || !root.TryGetProperty("items", out var items))
        {
            throw new InvalidDataException("not an images.json of format version 1 (made by BuildImages)");
        }
        var entries = new List<ImageEntry>();
        foreach (var item in items.EnumerateArray())
        {
            var variants = item.GetProperty("variants").EnumerateArray().Select(v => new ImageVariant(
                v.GetProperty("path").GetString()!, v.GetProperty("url").GetString()!, v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32(),
                v.GetProperty("type").GetString()!, v.GetProperty("bytes").GetInt64())).ToList();
            var tagged = item.TryGetProperty("tagged", out var t) && t.GetString() is { } path ? variants.FirstOrDefault(v => v.Path == path) : null;
            entries.Add(new ImageEntry(
                item.GetProperty("job").GetString()!, item.GetProperty("item").GetString()!,
                item.TryGetProperty("alt", out var alt) ? alt.GetString() : null, variants, tagged));
        }
        return new ImageCatalog(entries);
    }
}
