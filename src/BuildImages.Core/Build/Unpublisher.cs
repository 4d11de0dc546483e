using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Unpublishing items of a job (a CMS's unpublish or delete): their outputs are pruned as a build prunes an item that
/// left its data, their records and images.json entries go, and the up-to-date record is dropped. Nothing is planned
/// or rendered. Runs under the output folder's lock, which <see cref="BatchBuilder"/> takes.
/// </summary>
internal sealed class Unpublisher(BuildConfig config, KeyPaths paths, BuildLog log, ReportMaker reports)
{
    internal BuildReport Run(string job, IReadOnlyList<string> items)
    {
        if (!config.Jobs.Any(j => j.Name == job))
        {
            throw BuildInputException.Error(DiagnosticCodes.ConfigValue, $"there is no job '{job}' in the configuration", config.ConfigFile);
        }
        var store = new ManifestStore(config.ManifestFile);
        var statsFile = StatCache.PathFor(config.ManifestFile);
        using var journal = new OutputJournal(OutputJournal.PathFor(config.ManifestFile));
        var (manifest, warnings) = ManifestSession.Open(store, StatCache.Load(statsFile), journal);
        using var disposeManifest = manifest;
        foreach (var warning in warnings)
        {
            log.Report(warning);
        }
        manifest.SweepInterrupted(config.OutputDirectory, log);
        var found = new Pruner(config, manifest, log, PhotoRun.None, new OutputFolder(config.OutputDirectory)).RemoveItems(job, items);
        if (manifest.Dirty)
        {
            // What the next build may trust was just taken away: its fast path must run the full check.
            UpToDateRecord.Delete(UpToDateRecord.PathFor(config.ManifestFile));
            if (log.WriteOrReport(store.Path, "the manifest", manifest.Save))
            {
                log.WriteOrReport(config.MetadataFile, "the site metadata", () => manifest.Stats.Metadata = new SiteMetadataWriter(config).Write(manifest.Records.OfJob));
            }
            var hashes = new FileHashCache(manifest.Stats.Files, paths);
            log.WriteOrReport(statsFile, "the file-stamp cache", () => manifest.SaveStats(hashes, statsFile));
        }
        return reports.Make(new BuildPlan([], [], [job]), 0, log, manifest, PhotoRun.None, null, cancelled: false) with { Unpublished = found };
    }
}
