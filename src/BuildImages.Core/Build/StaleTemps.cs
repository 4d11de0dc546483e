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
        // Each output's folder once, without a string per output (a site of a million outputs has a few folders); the
        // records' folders as the record table gathered them while the manifest was read.
        var folders = new OutputFolderSet();
        foreach (var item in plan.Items)
        {
            item.AddOutputFoldersTo(folders);
        }
        var all = folders.Folders.Concat(manifest.Records.OutputFolders()).Distinct(StringComparer.Ordinal);
        // A folder reached through a link, or leading out of the output folder, is never listed.
        Remove(all.Where(f => folder.EscapeOfFolder(f) is null).Select(f => f.Length == 0 ? config.OutputDirectory : Path.Combine(config.OutputDirectory, f)));
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
