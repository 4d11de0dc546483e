using BuildImages.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the Tag Helpers and components need.</summary>
public static class BuildImagesServiceCollectionExtensions
{
    /// <summary>
    /// The app's images.json as a typed, current catalog (<see cref="ImageCatalogSource"/>), for the Tag Helpers, the
    /// Blazor components and any code of the app.
    /// </summary>
    public static IServiceCollection AddBuildImages(this IServiceCollection services, Action<BuildImagesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BuildImagesOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<ImageCatalogSource>();
        return services;
    }
}
