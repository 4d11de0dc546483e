using BuildImages.Core.Configuration;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>Temp files a killed build left (a crash between writing and renaming): never trusted, only in the way, so removed first.</summary>
internal static class StaleTemps
{
    /// <summary>From the folders of the manifest, the caches, the up-to-date record and images.json.</summary>
    internal static void RemoveFromBookkeeping(BuildConfig config) =>
        Remove(BookkeepingFiles.Of(config.ManifestFile).Append(config.MetadataFile).Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!));

    /// <summary>From every folder an output of this build or of the manifest lives in (never one reached through a link).</summary>
    internal static void RemoveFromOutputs(BuildConfig config, BuildPlan plan, ManifestSession manifest, OutputFolder folder)
    {
        // Each output's folder once, looked up by its span (a site of a million outputs has a few folders: a string
        // per output's folder and full path was most of this step's time).
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var lookup = folders.GetAlternateLookup<ReadOnlySpan<char>>();
        void Add(string relativePath)
        {
            var slash = relativePath.LastIndexOf('/');
            if (!lookup.Contains(slash < 0 ? [] : relativePath.AsSpan(0, slash)))
            {
                folders.Add(slash < 0 ? string.Empty : relativePath[..slash]);
            }
        }
        foreach (var item in plan.Items)
        {
            foreach (var variant in item.Variants)
            {
                Add(variant.Path);
            }
        }
        foreach (var (_, outline) in manifest.Records.Outlines())
        {
            foreach (var variant in outline.Variants)
            {
                Add(variant.File);
            }
        }
        // A folder reached through a link, or leading out of the output folder, is never listed.
        Remove(folders.Where(f => folder.EscapeOfFolder(f) is null).Select(f => f.Length == 0 ? config.OutputDirectory : Path.Combine(config.OutputDirectory, f)));
    }

    private static void Remove(IEnumerable<string> folders)
    {
        foreach (var dir in folders.Distinct(StringComparer.Ordinal))
        {
            try
            {
                AtomicFile.RemoveStale(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A folder that cannot be listed is reported when something is written to it.
            }
        }
    }
}
