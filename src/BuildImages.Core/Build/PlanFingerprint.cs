using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// Everything but the engine that decides a build's plan, in two parts. The fixed part: the configuration's bytes and
/// paths, the build options, which template each job resolves to and its size, each job's data reference and photo
/// folder; it reads no folder. The listed part: the file list of each data glob and photo folder, which a no-op need not
/// glob again while the folders the glob read list the same entries (<see cref="FolderListings"/>). The data files'
/// contents are checked apart, by the up-to-date record's file stamps.
/// </summary>
internal static class PlanFingerprint
{
    /// <summary>The fixed part's print; null when a job cannot be resolved (planning will say why).</summary>
    internal static string? Fixed(BuildConfig config, BuildOptions options, KeyPaths paths, TemplateCatalog templates)
    {
        var parts = new List<string>
        {
            "uptodate 2",
            config.ContentHash!,
            config.ConfigFile,
            config.OutputDirectory,
            config.ManifestFile,
            config.MetadataFile,
            "jobs " + (options.Jobs is null ? "*" : string.Join(",", options.Jobs.Order(StringComparer.Ordinal))),
            $"strict {options.Strict} prune {options.Prune ?? config.Prune}",
            "settings " + BuildPlanner.SettingsKey(config),
        };
        if (options.Jobs?.Any(n => config.Jobs.All(j => j.Name != n)) == true)
        {
            return null;
        }
        foreach (var job in Jobs(config, options))
        {
            if (job.Photos is { } photos)
            {
                parts.Add($"photos {job.Name} {photos.BaseFolder} {photos.Sources}");
                continue;
            }
            TemplateDefinition template;
            try
            {
                template = templates.Resolve(job.Template, config.BaseDirectory);
            }
            catch (BuildInputException)
            {
                return null;
            }
            parts.Add($"job {job.Name} template {paths.ToKey(template.MainFile)} size {BuildPlanner.SizeOf(job, template)} data {job.Data}");
        }
        return ContentHash.OfParts(parts);
    }

    /// <summary>The listed part: every job's file list (globbed now), its print, the data files' keys, and the folders read.</summary>
    internal static PlanListing List(BuildConfig config, BuildOptions options, KeyPaths paths)
    {
        var listings = new FolderListings();
        // Hashed as they are made: a folder of a million posts is a million parts.
        using var print = new PartsHash();
        print.Add("listed 1");
        // Each key once (two jobs may glob the same files), held as the bytes it does not share with the one before: a
        // folder of a million posts is a million keys.
        var data = new PathPool();
        foreach (var job in Jobs(config, options))
        {
            if (job.Photos is { } photos)
            {
                // The file list decides the plan; each file's content is in its record's input set, checked apart.
                print.Add("photos " + job.Name);
                foreach (var file in PhotoPlanner.Sources(photos, listings))
                {
                    print.Add("photo " + paths.ToKey(file));
                }
                continue;
            }
            print.Add("job " + job.Name);
            if (job.Data is not null)
            {
                foreach (var file in DataLoader.SourceFiles(job.Data, config.BaseDirectory, listings))
                {
                    var key = paths.ToKey(file);
                    print.Add("data " + key);
                    data.Add(key);
                }
            }
        }
        return new PlanListing(print.Finish(), data, listings);
    }

    private static IEnumerable<JobConfig> Jobs(BuildConfig config, BuildOptions options) =>
        config.Jobs.Where(j => options.Jobs is null || options.Jobs.Contains(j.Name));
}

/// <summary>The plan's file lists as globbed: their print, the data files' keys (each once), and the folders read to make them.</summary>
internal sealed record PlanListing(string Print, PathPool DataFiles, FolderListings Folders);

/// <summary>
/// The plan's prints (without the engine) and the data files' records, taken before planning; the folders the file
/// lists were read from, when they prove the lists (<see cref="FolderListings.Complete"/>).
/// </summary>
internal sealed record PlanInputs(string Print, string ListedPrint, IReadOnlyDictionary<string, UInt128>? Folders, EncodedFiles DataFiles);
