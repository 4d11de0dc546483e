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

    private ItemJobs? _itemJobs;

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

    /// <summary>A diagnostic at an item's metadata worded for the item (see <see cref="ItemJobs.Describe"/>); as it is otherwise.</summary>
    internal Diagnostic Locate(Diagnostic d) => _itemJobs is null ? d : _itemJobs.Describe(d);

    private BuildConfig LoadConfig()
    {
        var hasConfig = !string.IsNullOrEmpty(ConfigFile) && File.Exists(ConfigFile);
        if (Items.Count == 0 && ImageVariants.Count == 0)
        {
            return ConfigLoader.Load(Path.GetFullPath(ConfigFile ?? "buildimages.json"));
        }
        var projectFile = ProjectFile is null ? null : Path.GetFullPath(ProjectFile);
        _itemJobs = ItemConfig.Jobs(Items, ImageVariants, projectFile, ProjectDirectory ?? Directory.GetCurrentDirectory());
        if (hasConfig)
        {
            return ConfigLoader.Load(Path.GetFullPath(ConfigFile!), addedJobs: _itemJobs.Jobs);
        }
        // No buildimages.json: the project stands for it (relative paths resolve against its folder), with outputDir and baseUrl from properties.
        var project = new SourceLocation(projectFile ?? Path.GetFullPath("project"), 0, 0);
        var root = new List<KeyValuePair<string, ConfigValue>>
        {
            new("outputDir", ConfigValue.Text(string.IsNullOrEmpty(OutputDirectory) ? "wwwroot" : OutputDirectory, project)),
            new("jobs", ConfigValue.List(_itemJobs.Jobs, project)),
        };
        if (!string.IsNullOrEmpty(BaseUrl))
        {
            root.Add(new("baseUrl", ConfigValue.Text(BaseUrl, project)));
        }
        return ConfigLoader.Read(ConfigValue.Object(root, project), project.File);
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
