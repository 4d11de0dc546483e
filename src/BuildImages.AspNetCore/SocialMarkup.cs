using System.Globalization;
using System.Net;
using System.Text;

namespace BuildImages.AspNetCore;

/// <summary>
/// What the Tag Helpers and the Blazor components write, in one place: the og:/twitter: tags of a card with absolute
/// URLs (crawlers ignore relative ones), and a &lt;picture&gt; of a photo's variants.
/// </summary>
public static class SocialMarkup
{
    /// <summary>One meta tag: its key attribute (<c>property</c> for Open Graph, <c>name</c> for Twitter), the key and the content.</summary>
    public readonly record struct MetaTag(string Attribute, string Key, string Content);

    /// <summary>
    /// The tags of a card, its tagged file's URL made absolute against <paramref name="baseUrl"/> when images.json gives
    /// it relative; <paramref name="alt"/> overrides the card's own alternative text. Empty for an entry with no tagged file.
    /// </summary>
    public static IReadOnlyList<MetaTag> Tags(ImageEntry entry, string baseUrl, string? alt = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Tagged is not { } image)
        {
            return [];
        }
        var url = Absolute(image.Url, baseUrl);
        var text = alt ?? entry.Alt;
        var tags = new List<MetaTag>
        {
            new("property", "og:image", url),
            new("property", "og:image:width", image.Width.ToString(CultureInfo.InvariantCulture)),
            new("property", "og:image:height", image.Height.ToString(CultureInfo.InvariantCulture)),
            new("property", "og:image:type", image.Type),
        };
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            tags.Insert(1, new("property", "og:image:secure_url", url));
        }
        if (!string.IsNullOrEmpty(text))
        {
            tags.Add(new("property", "og:image:alt", text));
        }
        // A wide card is shown large; a square one as a summary thumbnail (what BuildImages' own snippet says too).
        tags.Add(new("name", "twitter:card", image.Width >= 1.5 * image.Height ? "summary_large_image" : "summary"));
        tags.Add(new("name", "twitter:image", url));
        if (!string.IsNullOrEmpty(text))
        {
            tags.Add(new("name", "twitter:image:alt", text));
        }
        return tags;
    }

    /// <summary>The tags as HTML, one &lt;meta&gt; per line, every value encoded.</summary>
    public static string TagsHtml(IReadOnlyList<MetaTag> tags) =>
        string.Join('\n', tags.Select(t => $"<meta {t.Attribute}=\"{WebUtility.HtmlEncode(t.Key)}\" content=\"{WebUtility.HtmlEncode(t.Content)}\">"));

    /// <summary>A URL as a crawler needs it: absolute URLs as they are; a relative one resolved against <paramref name="baseUrl"/>.</summary>
    public static string Absolute(string url, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return url;
        }
        var root = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
        return new Uri(root, url.TrimStart('/')).ToString();
    }

    /// <summary>What a helper writes when images.json has no such item: an HTML comment naming it, so the page still renders.</summary>
    internal static string Missing(string what, string job, string item) =>
        $"<!-- BuildImages: no {what} for {System.Net.WebUtility.HtmlEncode(job)}/{System.Net.WebUtility.HtmlEncode(item)} -->";

    /// <summary>The photo's &lt;picture&gt;, or the <see cref="Missing"/> comment: what the Tag Helper and the component write.</summary>
    internal static string PictureOrMissing(ImageCatalog catalog, string job, string item, string? alt, string sizes, string? cssClass, bool lazy) =>
        catalog.Find(job, item) is { } entry ? PictureHtml(entry, alt, sizes, cssClass, lazy) : Missing("photo", job, item);

    /// <summary>
    /// A &lt;picture&gt; of an item's files: a &lt;source&gt; per modern type (AVIF, then WebP) with every width in a srcset,
    /// and an &lt;img&gt; of the JPEG or PNG files (the largest as src), with <paramref name="sizes"/>, the alternative text,
    /// its intrinsic width and height (no layout shift), lazy loading and an optional class.
    /// </summary>
    public static string PictureHtml(ImageEntry entry, string? alt = null, string sizes = "100vw", string? cssClass = null, bool lazy = true)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var byType = entry.Variants.GroupBy(v => v.Type).ToDictionary(g => g.Key, g => g.GroupBy(v => v.Width).Select(w => w.OrderBy(v => v.Bytes).First()).OrderBy(v => v.Width).ToList());
        var fallback = byType.GetValueOrDefault("image/jpeg") ?? byType.GetValueOrDefault("image/png") ?? byType.Values.FirstOrDefault() ?? [];
        if (fallback.Count == 0)
        {
            return string.Empty;
        }
        var html = new StringBuilder("<picture>\n");
        foreach (var type in new[] { "image/avif", "image/webp" }.Where(byType.ContainsKey).Where(t => fallback[0].Type != t))
        {
            html.Append(CultureInfo.InvariantCulture, $"  <source type=\"{type}\" srcset=\"{Attr(SrcSet(byType[type]))}\" sizes=\"{Attr(sizes)}\">\n");
        }
        var largest = fallback[^1];
        html.Append(CultureInfo.InvariantCulture, $"  <img src=\"{Attr(largest.Url)}\" srcset=\"{Attr(SrcSet(fallback))}\" sizes=\"{Attr(sizes)}\" width=\"{largest.Width}\" height=\"{largest.Height}\" alt=\"{Attr(alt ?? entry.Alt ?? string.Empty)}\"");
        if (lazy)
        {
            html.Append(" loading=\"lazy\" decoding=\"async\"");
        }
        if (!string.IsNullOrEmpty(cssClass))
        {
            html.Append(CultureInfo.InvariantCulture, $" class=\"{Attr(cssClass)}\"");
        }
        return html.Append(">\n</picture>").ToString();
    }

    private static string SrcSet(IEnumerable<ImageVariant> variants) => string.Join(", ", variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Url} {v.Width}w")));

    private static string Attr(string value) => WebUtility.HtmlEncode(value);
}
