using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Output;

/// <summary>
/// Whether a file a front listed as written by an earlier build (the MSBuild package's list in obj/, which may come
/// from a CI cache or a hand edit) is one a build of this configuration could have written: its images.json, or an
/// image under an output path BuildImages makes, inside the output folder with no link leading out. A front publishes
/// or deletes only files that pass, so a planted line can neither publish a private key nor make <c>dotnet clean</c>
/// delete outside the output folder.
/// </summary>
public static class WrittenFiles
{
    /// <summary>Null when the file may be treated as this configuration's output; else why not.</summary>
    public static string? Problem(BuildConfig config, string fullPath)
    {
        if (!Path.IsPathFullyQualified(fullPath) || !string.Equals(Path.GetFullPath(fullPath), fullPath, StringComparison.Ordinal))
        {
            return $"'{fullPath}' is not a full, canonical path";
        }
        if (string.Equals(fullPath, Path.GetFullPath(config.MetadataFile), StringComparison.Ordinal))
        {
            return null;
        }
        var relative = Path.GetRelativePath(config.OutputDirectory, fullPath).Replace('\\', '/');
        return RecordPaths.Problem(relative) ?? new OutputFolder(config.OutputDirectory).Escape(relative);
    }
}
