using BuildImages.Core.Configuration;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// What every build of one configuration, and the fronts that plan or resolve templates for it, share: the template
/// catalog (the configuration's template folders and the built-in ones) and the key paths files are named by in keys.
/// A long-lived host (the hook server) keeps one per configuration; the catalog reads template files when asked, so
/// sharing it never serves a stale template.
/// </summary>
public sealed class Workspace(BuildConfig config)
{
    /// <summary>The configuration this workspace belongs to.</summary>
    public BuildConfig Config => config;

    /// <summary>Where the configuration's templates are found.</summary>
    public TemplateCatalog Templates { get; } = new(config.TemplateRootsWithBuiltIn());

    /// <summary>How files are named in keys (relative to the configuration's folder, or the built-in templates').</summary>
    public KeyPaths Paths { get; } = new(config.BaseDirectory, EngineOptions.BuiltInTemplateFolder());
}
