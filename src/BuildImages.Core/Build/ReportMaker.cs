using System.Diagnostics;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>Makes a build's <see cref="BuildReport"/> from its log (and, for a hook's few items, the records of the files it names).</summary>
internal sealed class ReportMaker(BuildConfig config, BuildOptions options, KeyPaths paths, StageClock clock, Stopwatch wall)
{
    internal BuildReport Make(BuildPlan plan, int outputCount, BuildLog log, ManifestSession? manifest, PhotoRun photos, Assets.ImageCacheStats? imageCache, bool cancelled)
    {
        log.TellRepeatedErrors();
        var outcomes = log.Outcomes();
        // Only for a batch of a few items (a hook's): a million-item report would pay for an index nobody reads.
        var written = options.ItemsOverride is null || manifest is null ? null : WrittenFiles(manifest, outcomes);
        ReportOutput Output(OutputOutcome o)
        {
            var output = new ReportOutput(o.Path, o.Item, o.Status, o.Width, o.Height, o.Format, o.Bytes, o.Key, o.Reason?.Detail);
            return written?.GetValueOrDefault(o.Path) is { } v && v.Key == o.Key ? output with { File = v.File, Url = SiteUrl.Of(config, v.File, v.Sha256) } : output;
        }
        // Made as they are read, from the outcomes read back from the log's blocks: nothing per output is held twice.
        var outputs = new ProjectedList<OutputOutcome, ReportOutput>(outcomes, Output);
        var savings = log.PhotoSavings;
        return new BuildReport
        {
            Rendered = log.Count(OutputStatus.Rendered),
            Fetched = log.Count(OutputStatus.Fetched),
            Skipped = log.Count(OutputStatus.Skipped),
            Deduplicated = log.Count(OutputStatus.Deduplicated),
            Pruned = log.Count(OutputStatus.Pruned),
            Failed = log.FailedItems + plan.ProblemErrorCount + plan.HeldItems.Count,
            BytesWritten = log.BytesWritten,
            Cancelled = cancelled,
            DryRun = options.DryRun,
            WallMilliseconds = Math.Round(wall.Elapsed.TotalMilliseconds, 1),
            Stages = clock.Milliseconds(),
            ImageCache = imageCache,
            Flushes = manifest?.Durable.Counts.Commits ?? 0,
            FlushedFiles = manifest?.Durable.Counts.Files ?? 0,
            // Only what was skipped or copied was avoided: a cancelled build's unrendered outputs were not.
            Cost = new ApiCost(config.PricePerRender, outputCount, log.Count(OutputStatus.Skipped) + log.Count(OutputStatus.Deduplicated) + log.Count(OutputStatus.Fetched)),
            Outputs = outputs,
            Photos = savings,
            Vision = PhotoSavingCalculator.Totals(savings, photos.VisionModels),
            // Read back from the log's spill as they are read (a build whose million items fail logs a million errors).
            Errors = new ProjectedList<Diagnostic, ReportError>(log.Errors, ReportError.From),
            Warnings = new ProjectedList<Diagnostic, ReportError>(log.Warnings, ReportError.From),
            RecordedFiles = options.ListFiles && manifest is not null ? manifest.RecordedFiles() : [],
            InputFiles = options.ListFiles && manifest is not null ? InputFiles(manifest.InputKeys()) : [],
        };
    }

    /// <summary>A report of a build the up-to-date record confirmed: every output skipped, nothing written.</summary>
    internal BuildReport UpToDate(IReadOnlyList<UpToDateOutput> outputs, IEnumerable<string> inputKeys, BuildLog log) =>
        Make(new BuildPlan([], [], []), outputs.Count, log, null, PhotoRun.None, null, cancelled: false) with
        {
            UpToDate = true,
            Skipped = outputs.Count,
            Cost = new ApiCost(config.PricePerRender, outputs.Count, outputs.Count),
            // Read from the record when the report is read: nothing is held for them here.
            Outputs = new ProjectedList<UpToDateOutput, ReportOutput>(outputs, o => new ReportOutput(o.Path, o.Item, OutputStatus.Skipped, o.Width, o.Height, o.Mime, o.Bytes, o.Key, null)),
            RecordedFiles = options.ListFiles ? [.. outputs.Select(o => o.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : [],
            InputFiles = options.ListFiles ? InputFiles(inputKeys) : [],
        };

    /// <summary>Full paths, with the configuration (inline items come from it; its bytes decide every plan), in order.</summary>
    private string[] InputFiles(IEnumerable<string> keys) =>
        [.. keys.Select(paths.ToFull).Append(config.ConfigFile).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The variant records of the outcomes' outputs that are on disk, by planned path.</summary>
    private static Dictionary<string, VariantRecord> WrittenFiles(ManifestSession manifest, IReadOnlyList<OutputOutcome> outcomes)
    {
        var paths = outcomes.Where(o => o.Status is OutputStatus.Rendered or OutputStatus.Skipped or OutputStatus.Deduplicated or OutputStatus.Fetched).Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
        foreach (var (_, record) in manifest.Records.All())
        {
            foreach (var v in record.Variants.Where(v => paths.Contains(v.Path)))
            {
                found[v.Path] = v;
            }
        }
        return found;
    }
}
