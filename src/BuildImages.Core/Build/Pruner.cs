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

        // Which of a record's outputs are stale: null when none is; every one when its item is gone. Asked twice of each
        // record, with the same answer: once to find what may go, once to find which files other outputs still name.
        List<OutputOutline>? StaleOf(string key, RecordOutline outline, out bool whole)
        {
            whole = false;
            if (!inScope(outline) || heldJobs.Contains(outline.Job) || (keepItems.Count > 0 && keepItems.Contains(NameHash($"{outline.Job}/{outline.Item}"))) || heldSources.Contains(outline.Source)
                || (outline.Source.StartsWith('<') && heldForSourceless.Contains(outline.Job)))
            {
                return null;
            }
            if (planned.Find(outline.Job, outline.Output) is not (>= 0 and var at) || !IsKeyOf(key, outline))
            {
                whole = true;
                return outline.Variants;
            }
            var stale = Unplanned(outline.Variants, v => v.Path, at);
            return stale.Count == 0 ? null : stale;
        }

        // The outputs of a record still planned (item `at` of the plan) that the plan no longer has.
        List<T> Unplanned<T>(List<T> outputs, Func<T, string> path, int at)
        {
            var paths = PlannedPaths(items[at]).ToList();
            return outputs.Where(o => !paths.Contains(path(o), StringComparer.Ordinal)).ToList();
        }

        // The stale records by key (in a pool: the bytes a key does not share with the one before), and the files their
        // stale outputs name (StaleFiles, a hash each): held per stale output, never per output of the site (a set of
        // every file in use was a string per output, and the stale records were held whole, about 6 KB each: 381 MiB and
        // 78 s for half of 100,000 items).
        var staleKeys = new PathPool();
        var stale = new List<(int Key, bool Whole)>();
        var files = new StaleFiles();
        foreach (var (key, outline) in manifest.Records.Outlines())
        {
            if (StaleOf(key, outline, out var whole) is { } outputs)
            {
                stale.Add((staleKeys.Add(key), whole));
                foreach (var output in outputs)
                {
                    files.Add(output.File);
                }
            }
        }
        if (stale.Count == 0)
        {
            return;
        }
        files.Seal();
        // A file another record still names (or a planned output) is never deleted.
        foreach (var (key, outline) in manifest.Records.Outlines())
        {
            var outputs = StaleOf(key, outline, out _);
            foreach (var v in outline.Variants)
            {
                if (outputs is null || !outputs.Contains(v))
                {
                    files.Strike(v.File);
                }
            }
        }
        foreach (var path in items.SelectMany(PlannedPaths))
        {
            files.Strike(path);
        }
        // Each stale record read whole once, as it is taken out or cut down; the folders emptied are removed at the end,
        // deepest first (asked after each file, a folder of 200,000 files was listed again for each).
        var emptied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyId, whole) in stale)
        {
            var key = staleKeys.PathOf(keyId);
            if (!manifest.Records.TryGetValue(key, out var record))
            {
                continue;
            }
            var variants = whole ? record.Variants : Unplanned(record.Variants, v => v.Path, planned.Find(record.Job, record.Output));
            foreach (var v in variants.Where(v => files.Goes(v.File)))
            {
                Delete(record, v, emptied);
            }
            if (whole)
            {
                manifest.Remove(key);
            }
            else
            {
                manifest.Set(record with { Variants = record.Variants.Except(variants).ToList() });
            }
        }
        RemoveEmptyFolders(emptied);
    }

    /// <summary>
    /// Unpublished entries (the hook server's DELETE): every output of these items of one job goes, as a batch
    /// prune would take it once the item left the data; a file another record still names stays. Returns the
    /// number of items that had a record.
    /// </summary>
    internal int RemoveItems(string job, IReadOnlyCollection<string> items)
    {
        var wanted = items.ToHashSet(StringComparer.Ordinal);
        // Found by their outlines and read whole once each, the files they name held by hash as the pruner holds them:
        // every record read whole, and a set of every other record's files, was a string per output of the site for
        // each entry a CMS unpublished.
        var gone = new List<string>();
        var files = new StaleFiles();
        foreach (var (key, outline) in manifest.Records.Outlines())
        {
            if (outline.Job == job && wanted.Contains(outline.Item))
            {
                gone.Add(key);
                outline.Variants.ForEach(v => files.Add(v.File));
            }
        }
        if (gone.Count == 0)
        {
            return 0;
        }
        files.Seal();
        var goneKeys = gone.ToHashSet(StringComparer.Ordinal);
        foreach (var (key, outline) in manifest.Records.Outlines())
        {
            if (!goneKeys.Contains(key))
            {
                outline.Variants.ForEach(v => files.Strike(v.File));
            }
        }
        var emptied = new HashSet<string>(StringComparer.Ordinal);
        var removed = 0;
        foreach (var key in gone)
        {
            if (!manifest.Records.TryGetValue(key, out var record))
            {
                continue;
            }
            foreach (var v in record.Variants.Where(v => files.Goes(v.File)))
            {
                Delete(record, v, emptied);
            }
            manifest.Remove(key);
            removed++;
        }
        RemoveEmptyFolders(emptied);
        return removed;
    }

    /// <summary>Whether <paramref name="key"/> is the record key of the item <paramref name="outline"/> names (job:output), without making it.</summary>
    private static bool IsKeyOf(string key, RecordOutline outline) =>
        key.Length == outline.Job.Length + 1 + outline.Output.Length && key.StartsWith(outline.Job, StringComparison.Ordinal)
        && key[outline.Job.Length] == ':' && key.EndsWith(outline.Output, StringComparison.Ordinal);

    /// <summary>A card's planned outputs, and a photo's unchanged copy while its source still cannot be read.</summary>
    private IEnumerable<string> PlannedPaths(PlannedItem card) =>
        photos.OriginalCopyOf(card.RecordKey) is { } copy ? card.Variants.Select(v => v.Path).Append(copy) : card.Variants.Select(v => v.Path);

    /// <summary>Deletes <paramref name="v"/>'s file when it is still the one written, adding its folder to <paramref name="emptied"/>.</summary>
    private void Delete(ItemRecord record, VariantRecord v, HashSet<string> emptied)
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
            emptied.Add(file.DirectoryName!);
        }
        log.Report(new OutputOutcome(v.Path, item, OutputStatus.Pruned, null, v.Width, v.Height, v.Mime, v.Bytes, v.Key));
    }

    /// <summary>Removes each of <paramref name="folders"/> that is empty now, and each parent emptied so, up to the output folder.</summary>
    private void RemoveEmptyFolders(HashSet<string> folders)
    {
        var root = Path.TrimEndingDirectorySeparator(config.OutputDirectory);
        // Deepest first: a parent is asked once its children are gone.
        foreach (var folder in folders.OrderByDescending(f => f.Length))
        {
            for (var dir = new DirectoryInfo(folder); dir.Exists && dir.FullName.Length > root.Length && dir.FullName.StartsWith(root, StringComparison.Ordinal) && !dir.EnumerateFileSystemInfos().Any(); dir = dir.Parent!)
            {
                dir.Delete();
            }
        }
    }

    private static UInt128 NameHash(string name) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(name.AsSpan()));
}
