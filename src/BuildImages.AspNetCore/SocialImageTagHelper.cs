using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace BuildImages.AspNetCore;

/// <summary>
/// <c>&lt;social-image job="posts" item="@Model.Slug" /&gt;</c> in a page's head: the card's og:image (width, height,
/// type, alt) and twitter: tags, with absolute URLs. An item with no card writes an HTML comment saying so. Register with
/// <c>@addTagHelper *, BuildImages.AspNetCore</c> and <c>builder.Services.AddBuildImages()</c>.
/// </summary>
[HtmlTargetElement("social-image", TagStructure = TagStructure.WithoutEndTag)]
public sealed class SocialImageTagHelper(ImageCatalogSource catalog, IOptions<BuildImagesOptions> options) : TagHelper
{
    /// <summary>The job's name in buildimages.json (or the MSBuild item's).</summary>
    public string Job { get; set; } = string.Empty;

    /// <summary>The item's id: its slug.</summary>
    public string Item { get; set; } = string.Empty;

    /// <summary>Alternative text instead of the card's own.</summary>
    public string? Alt { get; set; }

    /// <summary>The page being rendered (set by Razor), for the request's URL.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        var entry = catalog.Current.Find(Job, Item);
        output.Content.SetHtmlContent(entry is null
            ? SocialMarkup.Missing("card", Job, Item)
            : SocialMarkup.TagsHtml(SocialMarkup.Tags(entry, BaseUrls.Of(options.Value, ViewContext?.HttpContext.Request), Alt)));
    }
}
