using System.Text;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// The configuration an MSBuild build renders: the config file as it is, or with the SocialImage and ImageVariants items'
/// jobs added, through the same loader either way; with the manifest where the project keeps it. Shared by the tasks
/// that render and that list what a render wrote.
/// </summary>
internal sealed class TaskConfig(string? configFile, string? projectFile, IReadOnlyList<ITaskItem> items, IReadOnlyList<ITaskItem> imageVariants, string? outputDirectory, string? baseUrl, string? projectDirectory, string? manifestFile, string? webRoot)
{
    private string? ConfigFile => configFile;

    private string? ProjectFile => projectFile;

    private IReadOnlyList<ITaskItem> Items => items;

    private IReadOnlyList<ITaskItem> ImageVariants => imageVariants;

    private string? OutputDirectory => outputDirectory;

    private string? BaseUrl => baseUrl;

    private string? ProjectDirectory => projectDirectory;

    private string? ManifestFile => manifestFile;

    private ComposedConfig? _composed;
    private (string File, byte[]? OwnText) _source;

    internal BuildConfig Load()
    {
        var config = InWebRoot(LoadConfig());
        return string.IsNullOrEmpty(ManifestFile) ? config : config with { ManifestFile = Path.GetFullPath(ManifestFile) };
    }

    /// <summary>
    /// A web project's configuration renders into the web root in the intermediate folder, at the path its outputDir has
    /// below the project's wwwroot ("wwwroot" → the web root, "wwwroot/cards" → cards/; elsewhere → the web root), so a
    /// card's URL is what it was, and nothing lands in the source tree.
    /// </summary>
    private BuildConfig InWebRoot(BuildConfig config)
    {
        if (webRoot is null)
        {
            return config;
        }
        var below = Path.GetRelativePath(Path.Combine(Path.GetFullPath(projectDirectory ?? config.BaseDirectory), "wwwroot"), config.OutputDirectory);
        var output = Path.GetFullPath(Path.Combine(webRoot, below == "." || below.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(below) ? "." : below));
        var metadata = Path.GetRelativePath(config.OutputDirectory, config.MetadataFile);
        return config with
        {
            OutputDirectory = Path.TrimEndingDirectorySeparator(output),
            MetadataFile = metadata.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(metadata) ? config.MetadataFile : Path.Combine(output, metadata),
        };
    }

    /// <summary>A diagnostic put back where the user wrote the mistake (see <see cref="ComposedConfig.Relocate"/>); as it is when the configuration was not composed.</summary>
    internal Diagnostic Locate(Diagnostic d) => _composed is null ? d : _composed.Relocate(d, _source.File, _source.OwnText, ProjectFile);

    private BuildConfig LoadConfig()
    {
        var hasConfig = !string.IsNullOrEmpty(ConfigFile) && File.Exists(ConfigFile);
        if (Items.Count == 0 && ImageVariants.Count == 0)
        {
            return ConfigLoader.Load(Path.GetFullPath(ConfigFile ?? "buildimages.json"));
        }
        var file = hasConfig ? Path.GetFullPath(ConfigFile!) : Path.GetFullPath(ProjectFile ?? "project");
        var own = hasConfig ? File.ReadAllBytes(file) : null;
        _composed = ItemConfig.Compose(own is null ? null : Encoding.UTF8.GetString(own), Items, ImageVariants, OutputDirectory, BaseUrl, ProjectDirectory);
        _source = (file, own);
        // An error here is about the composed text; the task puts it back where the user wrote it (Locate), once.
        return ConfigLoader.Parse(_composed.Json, file);
    }

    /// <summary>The item of a written file, with the path it is published at: relative to the project, or to the output folder when it lives outside the project.</summary>
    internal ITaskItem Written(BuildConfig config, string file)
    {
        var root = string.IsNullOrEmpty(ProjectDirectory) ? config.OutputDirectory : Path.GetFullPath(ProjectDirectory);
        var relative = Path.GetRelativePath(root, file);
        var item = new Microsoft.Build.Utilities.TaskItem(file);
        item.SetMetadata("PublishRelativePath", relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetRelativePath(config.OutputDirectory, file) : relative);
        if (webRoot is not null)
        {
            // The static web asset's path below the web root ('/' separated): its URL path.
            item.SetMetadata("WebPath", Path.GetRelativePath(webRoot, file).Replace('\\', '/'));
        }
        return item;
    }
}
