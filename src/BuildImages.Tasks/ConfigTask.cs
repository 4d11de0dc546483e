using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>What every BuildImages task needs to know which configuration the project builds: the config file, the items, and the properties that stand for config values.</summary>
public abstract class ConfigTask : Microsoft.Build.Utilities.Task
{
    /// <summary>The buildimages.json to build (optional when there are SocialImage items).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The project file: the base folder of SocialImage items when there is no config file, and where their errors point.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>SocialImage items: each a data file or glob, a job of its own (see <see cref="ItemConfig"/>).</summary>
    public ITaskItem[] Items { get; set; } = [];

    /// <summary>ImageVariants items: photos to right-size, grouped into photos jobs (see <see cref="ItemConfig"/>).</summary>
    public ITaskItem[] ImageVariants { get; set; } = [];

    /// <summary>outputDir and baseUrl when there are items but no config file.</summary>
    public string? OutputDirectory { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>The project folder: written files get their path relative to it as PublishRelativePath.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>
    /// Web projects: the web root the outputs are rendered into (in the intermediate folder) instead of the configuration's
    /// outputDir; the part of outputDir below the project's wwwroot is kept, so URLs stay what they were.
    /// </summary>
    public string? WebRoot { get; set; }

    /// <summary>The configuration these parameters name, with the manifest where the project keeps it.</summary>
    internal TaskConfig Setup(string? manifestFile) => new(ConfigFile, ProjectFile, Items, ImageVariants, OutputDirectory, BaseUrl, ProjectDirectory, manifestFile, string.IsNullOrEmpty(WebRoot) ? null : WebRoot);
}
