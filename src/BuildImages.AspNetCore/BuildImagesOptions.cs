namespace BuildImages.AspNetCore;

/// <summary>How the helpers find images.json and make URLs absolute.</summary>
public sealed class BuildImagesOptions
{
    /// <summary>images.json's path below the web root (<c>images.json</c>; <c>cards/images.json</c> when outputDir was wwwroot/cards).</summary>
    public string MetadataPath { get; set; } = "images.json";

    /// <summary>
    /// The site's public base URL (<c>https://example.com/</c>) for URLs images.json gives relative; null takes the
    /// request's scheme, host and path base, which is right behind a proxy only with forwarded headers applied.
    /// </summary>
    public string? BaseUrl { get; set; }
}
