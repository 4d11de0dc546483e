using System.IO.Hashing;
using System.Runtime.InteropServices;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Removes outputs the configuration no longer asks for (items gone, variants dropped, jobs removed), only if
/// they are still the files BuildImages wrote. Items that failed to plan, and every item of a data file that could
/// not be read, keep their last good outputs.
/// </summary>
internal sealed class Pruner(BuildConfig config, ManifestSession manifest, BuildLog log, PhotoRun photos, OutputFolder folder)
{
    internal void Prune(BuildPlan plan, bool allJobs)
    {
        var configured = config.Jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        Prune(plan, record => plan.Jobs.Contains(record.Job) || (allJobs && !configured.Contains(record.Job)));
    }

    /// <summary>
    /// After a batch of some items of one job (a hook's): outputs those items no longer have go. A CMS entry whose slug
    /// changed keeps its id, so its card under the old slug is removed, not left for the next full build; every other
    /// item of the job is untouched.
    /// </summary>
    internal void PruneItems(BuildPlan plan, string job, IReadOnlyCollection<string> items)
    {
        var ids = items.ToHashSet(StringComparer.Ordinal);
        Prune(plan, record => record.Job == job && ids.Contains(record.Item));
    }

    private void Prune(BuildPlan plan, Func<RecordOutline, bool> inScope)
    {
        // The planned items by record, not a set of paths each: an item has a handful of outputs, and a million sets were
        // a fifth of a gigabyte at the end of a million-item build. The plan's own index by job and output stem, about 8
        // bytes an item: a dictionary keyed by each item's strings held the items the plan makes when read.
        var items = PlannedItemList.Of(plan.Items);
        var planned = items.IndexByOutput();
        // By a 128-bit hash of the name, as content is known by its hash: a million items writing one file are a million
        // names, which as a set of strings was about 100 MB.
        var keepItems = plan.Problems.Select(p => p.Item).OfType<string>().Concat(plan.HeldItems).Select(NameHash).ToHashSet();
        var heldSources = plan.HeldSources.ToHashSet(StringComparer.Ordinal);
        // An item a hook or `render --data -` rendered has no data file ("<hook job>", "<stdin>"). While a data file of
        // its job cannot be read, the item may be in that file, so it is held like the file's own items.
        // Only while a data file cannot be read (then every record is read once more to find their jobs).
        var heldForSourceless = heldSources.Count == 0
            ? []
            : manifest.Records.Outlines().Where(r => heldSources.Contains(r.Outline.Source)).Select(r => r.Outline.Job).ToHashSet(StringComparer.Ordinal);
        var heldJobs = plan.HeldJobs.ToHashSet(StringComparer.Ordinal);
        var stale = new List<(ItemRecord Record, List<VariantRecord> Variants, bool WholeCard)>();
        // Outlines first (most records are planned and whole); a stale record is read whole.
        foreach (var (key, outline) in manifest.Records.Outlines())
        {
            if (!inScope(outline) || heldJobs.Contains(outline.Job) || (keepItems.Count > 0 && keepItems.Contains(NameHash($"{outline.Job}/{outline.Item}"))) || heldSources.Contains(outline.Source)
                || (outline.Source.StartsWith('<') && heldForSourceless.Contains(outline.Job)))
            {
                continue;
            }
            var paths = planned.Find(outline.Job, outline.Output) is >= 0 and var at && IsKeyOf(key, outline) ? PlannedPaths(items[at]).ToList() : null;
            if (paths is not null && outline.Variants.TrueForAll(v => paths.Contains(v.Path, StringComparer.Ordinal)))
            {
                continue;
            }
            if (!manifest.Records.TryGetValue(key, out var record))
            {
                continue;
            }
            if (paths is null)
            {
                stale.Add((record, record.Variants, true));
            }
            else
            {
                stale.Add((record, record.Variants.Where(v => !paths.Contains(v.Path, StringComparer.Ordinal)).ToList(), false));
            }
        }
        if (stale.Count == 0)
        {
            return;
        }
        // A file another record still names (or a planned output) is never deleted.
        var staleVariants = stale.SelectMany(s => s.Variants.Select(v => $"{s.Record.Job}:{s.Record.Output}\n{v.Path}")).ToHashSet(StringComparer.Ordinal);
        var inUse = manifest.Records.Outlines().SelectMany(r => r.Outline.Variants.Where(v => !staleVariants.Contains($"{r.Key}\n{v.Path}"))).Select(v => v.File)
            .Concat(plan.Items.SelectMany(PlannedPaths))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (record, variants, whole) in stale)
        {
            foreach (var v in variants.Where(v => !inUse.Contains(v.File)))
            {
                Delete(record, v);
            }
            if (whole)
            {
                manifest.Remove($"{record.Job}:{record.Output}");
            }
            else
            {
                manifest.Set(record with { Variants = record.Variants.Except(variants).ToList() });
            }
        }
    }

    /// <summary>
    /// Unpublished entries (the hook server's DELETE): every output of these items of one job goes, as a batch
    /// prune would take it once the item left the data; a file another record still names stays. Returns the
    /// number of items that had a record.
    /// </summary>
    internal int RemoveItems(string job, IReadOnlyCollection<string> items)
    {
        var wanted = items.ToHashSet(StringComparer.Ordinal);
        var gone = manifest.Records.All().Where(r => r.Record.Job == job && wanted.Contains(r.Record.Item)).ToList();
        var goneKeys = gone.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var inUse = manifest.Records.Outlines().Where(r => !goneKeys.Contains(r.Key)).SelectMany(r => r.Outline.Variants).Select(v => v.File).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, record) in gone)
        {
            foreach (var v in record.Variants.Where(v => !inUse.Contains(v.File)))
            {
                Delete(record, v);
            }
            manifest.Remove(key);
        }
        return gone.Count;
    }

    /// <summary>Whether <paramref name="key"/> is the record key of the item <paramref name="outline"/> names (job:output), without making it.</summary>
    private static bool IsKeyOf(string key, RecordOutline outline) =>
        key.Length == outline.Job.Length + 1 + outline.Output.Length && key.StartsWith(outline.Job, StringComparison.Ordinal)
        && key[outline.Job.Length] == ':' && key.EndsWith(outline.Output, StringComparison.Ordinal);

    /// <summary>A card's planned outputs, and a photo's unchanged copy while its source still cannot be read.</summary>
    private IEnumerable<string> PlannedPaths(PlannedItem card) =>
        photos.OriginalCopyOf(card.RecordKey) is { } copy ? card.Variants.Select(v => v.Path).Append(copy) : card.Variants.Select(v => v.Path);

    private void Delete(ItemRecord record, VariantRecord v)
    {
        var full = Path.Combine(config.OutputDirectory, v.File);
        var file = new FileInfo(full);
        var item = $"{record.Job}/{record.Item}";
        if ((folder.Escape(v.File) ?? (file.LinkTarget is not null ? "it is a symbolic link, not a file BuildImages wrote" : null)) is { } refused)
        {
            log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PruneSkipped, $"{v.File} is no longer produced but not deleted: {refused}", full, Item: item));
            return;
        }
        if (file.Exists)
        {
            var ours = file.Length == v.Bytes && ((manifest.Stats.OutputTimes.TryGetValue(v.File, out var ticks) && ticks == file.LastWriteTimeUtc.Ticks) || ContentHash.OfFile(full) == v.Sha256);
            if (!ours)
            {
                log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PruneSkipped, $"{v.File} is no longer produced but changed since BuildImages wrote it; not deleted", full, Item: item));
                return;
            }
            file.Delete();
            RemoveEmptyFolders(file.Directory);
        }
        log.Report(new OutputOutcome(v.Path, item, OutputStatus.Pruned, null, v.Width, v.Height, v.Mime, v.Bytes, v.Key));
    }

    private void RemoveEmptyFolders(DirectoryInfo? dir)
    {
        var root = Path.TrimEndingDirectorySeparator(config.OutputDirectory);
        while (dir is not null && dir.FullName.Length > root.Length && dir.FullName.StartsWith(root, StringComparison.Ordinal) && !dir.EnumerateFileSystemInfos().Any())
        {
            dir.Delete();
            dir = dir.Parent;
        }
    }

    private static UInt128 NameHash(string name) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(name.AsSpan()));
}
