using Microsoft.AspNetCore.Razor.TagHelpers;

namespace BuildImages.AspNetCore;

/// <summary>
/// <c>&lt;responsive-picture job="photos" item="shop/red.jpg" alt="…" sizes="(min-width: 60em) 50vw, 100vw" /&gt;</c>: a
/// &lt;picture&gt; of the photo's right-sized files (AVIF and WebP sources, a JPEG or PNG img with srcset, width, height and
/// lazy loading).
/// </summary>
[HtmlTargetElement("responsive-picture", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ResponsivePictureTagHelper(ImageCatalogSource catalog) : TagHelper
{
    /// <summary>The photos job's name.</summary>
    public string Job { get; set; } = string.Empty;

    /// <summary>The photo's path below the job's folder, e.g. <c>shop/red.jpg</c>.</summary>
    public string Item { get; set; } = string.Empty;

    /// <summary>Alternative text (a picture should have one).</summary>
    public string? Alt { get; set; }

    /// <summary>The sizes attribute (default 100vw).</summary>
    public string Sizes { get; set; } = "100vw";

    /// <summary>A class for the img.</summary>
    public string? Class { get; set; }

    /// <summary>Lazy loading (default true; false for an image above the fold).</summary>
    public bool Lazy { get; set; } = true;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        output.Content.SetHtmlContent(SocialMarkup.PictureOrMissing(catalog.Current, Job, Item, Alt, Sizes, Class, Lazy));
    }
}
