using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace BuildImages.AspNetCore;

/// <summary>Blazor: <c>&lt;ResponsivePicture Job="photos" Item="shop/red.jpg" Alt="…" Sizes="50vw" /&gt;</c>, the photo's &lt;picture&gt; (see <see cref="SocialMarkup.PictureHtml"/>).</summary>
public sealed class ResponsivePicture : ComponentBase
{
    /// <summary>The photos job's name.</summary>
    [Parameter]
    [EditorRequired]
    public string Job { get; set; } = string.Empty;

    /// <summary>The photo's path below the job's folder.</summary>
    [Parameter]
    [EditorRequired]
    public string Item { get; set; } = string.Empty;

    /// <summary>Alternative text.</summary>
    [Parameter]
    public string? Alt { get; set; }

    /// <summary>The sizes attribute (default 100vw).</summary>
    [Parameter]
    public string Sizes { get; set; } = "100vw";

    /// <summary>A class for the img.</summary>
    [Parameter]
    public string? Class { get; set; }

    /// <summary>Lazy loading (default true).</summary>
    [Parameter]
    public bool Lazy { get; set; } = true;

    [Inject]
    private ImageCatalogSource Catalog { get; set; } = null!;

    /// <inheritdoc/>
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMarkupContent(0, SocialMarkup.PictureOrMissing(Catalog.Current, Job, Item, Alt, Sizes, Class, Lazy));
    }
}
