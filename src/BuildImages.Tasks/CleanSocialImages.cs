using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// <c>dotnet clean</c>: removes what every render of the project wrote, in every configuration (Debug, Release, any
/// target framework): each <c>buildimages</c> folder under the intermediate folder (its manifest, lists and, in a web
/// project, its web root of cards), and the files a render wrote into the source tree as the checked list of that
/// configuration names them (see <see cref="ListSocialImages"/>: never a file outside the output folder).
/// </summary>
public sealed class CleanSocialImages : ConfigTask
{
    /// <summary>The project's base intermediate folder (obj/).</summary>
    [Required]
    public string IntermediateFolder { get; set; } = string.Empty;

    public override bool Execute()
    {
        var root = Path.GetFullPath(IntermediateFolder);
        if (!Directory.Exists(root))
        {
            return true;
        }
        var folders = Directory.EnumerateDirectories(root, "buildimages", SearchOption.AllDirectories)
            .Where(d => new DirectoryInfo(d).LinkTarget is null && Path.GetFullPath(d).StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();
        Core.Configuration.BuildConfig? config = null;
        try
        {
            config = Setup(manifestFile: null).Load();
        }
        catch (BuildInputException)
        {
            // A configuration that does not load trusts no list: only the intermediate folders go.
        }
        foreach (var folder in folders)
        {
            var list = Path.Combine(folder, "written.txt");
            if (config is not null && File.Exists(list))
            {
                foreach (var file in File.ReadAllLines(list).Select(l => l.Split('|')[0]).Where(l => l.Length > 0))
                {
                    // Outputs in the intermediate folder go with it; the source tree's only when the configuration could have written them.
                    if (!file.StartsWith(folder, StringComparison.Ordinal) && Core.Output.WrittenFiles.Problem(config, file) is null && File.Exists(file))
                    {
                        Delete(file);
                    }
                }
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.LogWarning($"BuildImages: {folder} could not be removed: {ex.Message}");
            }
        }
        return true;
    }

    private void Delete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning($"BuildImages: {file} could not be removed: {ex.Message}");
        }
    }
}
