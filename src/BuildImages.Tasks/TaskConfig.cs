using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// The configuration an MSBuild build renders: the config file as it is, or with the SocialImage and ImageVariants items'
/// jobs added, through the same loader either way; with the manifest where the project keeps it. Shared by the tasks
/// that render and that list what a render wrote.
/// </summary>
internal sealed record TaskConfig(string? ConfigFile, string? ProjectFile, IReadOnlyList<ITaskItem> Items, IReadOnlyList<ITaskItem> ImageVariants, string? OutputDirectory, string? BaseUrl, string? ProjectDirectory, string? ManifestFile)
{
    internal BuildConfig Load()
    {
        var config = LoadConfig();
        return string.IsNullOrEmpty(ManifestFile) ? config : config with { ManifestFile = Path.GetFullPath(ManifestFile) };
    }

    private BuildConfig LoadConfig()
    {
        var hasConfig = !string.IsNullOrEmpty(ConfigFile) && File.Exists(ConfigFile);
        if (Items.Count == 0 && ImageVariants.Count == 0)
        {
            return ConfigLoader.Load(Path.GetFullPath(ConfigFile ?? "buildimages.json"));
        }
        var file = hasConfig ? Path.GetFullPath(ConfigFile!) : Path.GetFullPath(ProjectFile ?? "project");
        var text = ItemConfig.Compose(hasConfig ? File.ReadAllText(file) : null, Items, ImageVariants, OutputDirectory, BaseUrl, ProjectDirectory);
        try
        {
            return ConfigLoader.Parse(text, file);
        }
        catch (CardException ex) when (!hasConfig || ex.Diagnostic.Line > 0)
        {
            // Positions in the configuration made from items mean nothing to the user: name the project and the item instead.
            throw new CardException(ex.Diagnostic with { File = ProjectFile ?? file, Line = 0, Column = 0, Message = (ImageVariants.Count == 0 ? "SocialImage items: " : Items.Count == 0 ? "ImageVariants items: " : "SocialImage and ImageVariants items: ") + ex.Diagnostic.Message });
        }
    }

    /// <summary>The item of a written file, with the path it is published at: relative to the project, or to the output folder when it lives outside the project.</summary>
    internal ITaskItem Written(BuildConfig config, string file)
    {
        var root = string.IsNullOrEmpty(ProjectDirectory) ? config.OutputDirectory : Path.GetFullPath(ProjectDirectory);
        var relative = Path.GetRelativePath(root, file);
        var item = new Microsoft.Build.Utilities.TaskItem(file);
        item.SetMetadata("PublishRelativePath", relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetRelativePath(config.OutputDirectory, file) : relative);
        return item;
    }
}
