using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BuildImages.AspNetCore;

/// <summary>
/// Blazor: <c>&lt;HeadContent&gt;&lt;SocialImageTags Job="posts" Item="@Slug" /&gt;&lt;/HeadContent&gt;</c> writes the card's og:image
/// and twitter: tags, with absolute URLs (the configured base URL, else the request's). Needs
/// <c>builder.Services.AddBuildImages()</c>.
/// </summary>
public sealed class SocialImageTags : ComponentBase
{
    /// <summary>The job's name in buildimages.json (or the MSBuild item's).</summary>
    [Parameter]
    [EditorRequired]
    public string Job { get; set; } = string.Empty;

    /// <summary>The item's id: its slug.</summary>
    [Parameter]
    [EditorRequired]
    public string Item { get; set; } = string.Empty;

    /// <summary>Alternative text instead of the card's own.</summary>
    [Parameter]
    public string? Alt { get; set; }

    /// <summary>The request, when the component renders on the server.</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    private ImageCatalogSource Catalog { get; set; } = null!;

    [Inject]
    private IOptions<BuildImagesOptions> Options { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    /// <inheritdoc/>
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Catalog.Current.Find(Job, Item) is not { } entry)
        {
            builder.AddMarkupContent(0, SocialMarkup.Missing("card", Job, Item));
            return;
        }
        var baseUrl = Options.Value.BaseUrl ?? (HttpContext is { } http ? BaseUrls.Of(Options.Value, http.Request) : Navigation.BaseUri);
        // Sequence numbers name places in this code (the diff works on them), not loop turns.
        foreach (var tag in SocialMarkup.Tags(entry, baseUrl, Alt))
        {
            builder.OpenElement(1, "meta");
            builder.AddAttribute(2, tag.Attribute, tag.Key);
            builder.AddAttribute(3, "content", tag.Content);
            builder.CloseElement();
        }
    }
}
