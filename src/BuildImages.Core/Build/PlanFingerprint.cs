using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// Everything but the engine that decides a build's plan: the configuration's bytes and paths, the build options, which
/// template each job resolves to and its size, the file list of each data glob and photo folder; and the data files.
/// </summary>
internal static class PlanFingerprint
{
    /// <summary>The fingerprint and the data files' keys; null when a job cannot be resolved (planning will say why).</summary>
    internal static (string Print, List<string> DataFiles)? Make(BuildConfig config, BuildOptions options, KeyPaths paths, TemplateCatalog templates)
    {
        var parts = new List<string>
        {
            "uptodate 1",
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
        var data = new List<string>();
        foreach (var job in config.Jobs.Where(j => options.Jobs is null || options.Jobs.Contains(j.Name)))
        {
            if (job.Photos is { } photos)
            {
                // The file list decides the plan; each file's content is in its record's input set, checked below.
                parts.Add($"photos {job.Name} {photos.BaseFolder} {photos.Sources}");
                parts.AddRange(PhotoPlanner.Sources(photos).Select(f => "photo " + paths.ToKey(f)));
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
            parts.Add($"job {job.Name} template {paths.ToKey(template.MainFile)} size {BuildPlanner.SizeOf(job, template)}");
            if (job.Data is not null)
            {
                foreach (var file in DataLoader.SourceFiles(job.Data, config.BaseDirectory))
                {
                    var key = paths.ToKey(file);
                    parts.Add("data " + key);
                    data.Add(key);
                }
            }
        }
        return (ContentHash.OfParts(parts), data);
    }
}

/// <summary>The plan's fingerprint (without the engine) and the data files' records, taken before planning.</summary>
internal sealed record PlanInputs(string Print, IReadOnlyList<(string Key, FileRecord File)> DataFiles);
