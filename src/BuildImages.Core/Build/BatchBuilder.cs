using System.Diagnostics;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// The batch build every front runs: plan → check against the manifest → render what changed, in parallel,
/// de-duplicated → copy duplicates → prune → manifest → images.json → report. A configuration or data
/// syntax problem throws <see cref="CardException"/> before anything is written; an item's problem fails
/// that item only. The no-op path makes no native call.
/// </summary>
/// <param name="config">The loaded configuration.</param>
/// <param name="options">How this build runs (null: the defaults).</param>
/// <param name="observer">Told of each output and diagnostic as it happens.</param>
/// <param name="engine">
/// A long-lived host's engine (the hook server's), made from this config's <see cref="BuildConfig.EngineOptions"/>:
/// its fonts, templates and decoded images are loaded once, not per build. Null: the build makes its own.
/// </param>
public sealed class BatchBuilder(BuildConfig config, BuildOptions? options = null, IBuildObserver? observer = null, CardEngine? engine = null)
{

    private readonly BuildOptions _options = options ?? new BuildOptions();
    private readonly IBuildObserver _observer = observer ?? NullBuildObserver.Instance;

    public BuildReport Run(CancellationToken cancellation = default)
    {
        var wall = Stopwatch.StartNew();
        // A dry run writes nothing, and every file it reads is replaced atomically: it needs no lock.
        using var held = _options.DryRun ? null : OutputFolderLock.Acquire(config.OutputDirectory, _options.LockTimeout, _observer.Message, cancellation);
        return RunLocked(wall, cancellation);
    }

    private BuildReport RunLocked(Stopwatch wall, CancellationToken cancellation)
    {
        var builtIn = EngineOptions.BuiltInTemplateFolder();
        var paths = new KeyPaths(config.BaseDirectory, builtIn);
        var templates = new TemplateCatalog(config.TemplateRootsWithBuiltIn());
        var clock = new StageClock();
        var upToDate = new UpToDateCheck(config, _options, paths, templates);
        RemoveStaleTemps(BookkeepingFolders());
        if (_options.RemoveItems is { } removal)
        {
            return Unpublish(removal.Job, removal.Items, clock, wall, new OutputJournal(OutputJournal.PathFor(config.ManifestFile)));
        }
        var journal = new OutputJournal(OutputJournal.PathFor(config.ManifestFile));
        // A journal left behind means a build was killed before its manifest named what it wrote: take the full path.
        if (!File.Exists(journal.File) && clock.Time(BuildStage.Check, upToDate.TryConfirm) is { } current)
        {
            return ReportUpToDate(current, clock, wall);
        }
        if (File.Exists(config.OutputDirectory))
        {
            throw CardException.Error(DiagnosticCodes.ConfigValue, $"outputDir '{config.OutputDirectory}' is a file, not a folder", config.ConfigFile);
        }
        var inputs = upToDate.Capture();
        var store = new ManifestStore(config.ManifestFile);
        var statsFile = StatCache.PathFor(config.ManifestFile);
        // Reading the manifest and planning are independent; on a no-op build they are most of the time.
        var loading = Task.Run(() => (store.Load(), StatCache.Load(statsFile)));
        var planned = _options.ItemsOverride is { } only
            ? config with { Jobs = [.. config.Jobs.Where(j => j.Name == only.Job).Select(j => j with { Data = null, InlineItems = only.Items })] }
            : config;
        var jobs = _options.ItemsOverride is { } single ? [single.Job] : _options.Jobs;
        BuildPlan plan;
        try
        {
            plan = clock.Time(BuildStage.Plan, () => BuildPlanner.Plan(planned, templates, paths, jobs));
        }
        finally
        {
            // Never leave the reader running past a configuration error.
            loading.Wait(cancellation);
        }
        var ((manifest, manifestWarnings), stats) = loading.Result;
        var state = new BuildState(manifest, stats, _observer, clock) { Photos = _options.PhotoProcessing ?? Imaging.InProcessPhotos.Instance };
        state.Journal = journal;
        if (!_options.DryRun)
        {
            SweepInterrupted(journal, state);
        }
        plan = WithoutSourceTargets(plan);
        if (_options.ItemsOverride is not null)
        {
            plan = WithoutTakenOutputs(plan, state);
        }
        if (config.Jobs.Any(j => j.Photos is not null))
        {
            state.VisionModels = Imaging.VisionModels.BuiltIn().Select(m => config.VisionPrices.TryGetValue(m.Model, out var price) ? m with { PricePerMillion = price } : m).ToList();
        }
        foreach (var warning in manifestWarnings)
        {
            state.Report(warning);
            state.MarkDirty();
        }
        foreach (var problem in plan.Problems)
        {
            state.Report(problem);
        }
        var (engineStamp, native) = EngineStamp.Current(stats.Native);
        stats.Native = native;
        var hashes = new FileHashCache(stats.Files, paths);
        var work = state.Clock.Time(BuildStage.Check, () => Check(plan, state, new ChangeDetector(engineStamp, hashes, stats, id => state.InputSets.GetValueOrDefault(id), config.OutputDirectory, _options.Force)));
        _observer.Planned(plan.OutputCount, work.Sum(w => w.Needed.Count));
        if (_options.DryRun)
        {
            foreach (var w in work)
            {
                foreach (var (v, reason) in w.Needed)
                {
                    state.Report(new OutputOutcome(v.Path, w.Card.Name, OutputStatus.Rendered, reason, v.Width, v.Height, v.Encode.MimeType, 0, null));
                }
            }
            return Report(plan, state, wall, cancelled: false);
        }
        var finished = true;
        var folder = new OutputFolder(config.OutputDirectory);
        RemoveStaleTemps(OutputFolders(plan, state, folder));
        if (work.Count > 0)
        {
            folder.EnsureWritable(config.ConfigFile);
            finished = RenderAll(work, engineStamp, paths, hashes, state, store, folder, cancellation);
            if (finished)
            {
                var copier = new DuplicateCopier(state, new OutputWriter(config, stats, folder, state.Durable, journal), paths);
                state.Clock.Time(BuildStage.Copy, () => copier.CopyAll(Workers(work.Count)));
            }
        }
        state.Clock.Time(BuildStage.Finish, () =>
        {
            if (finished && !cancellation.IsCancellationRequested && (_options.Prune ?? config.Prune))
            {
                var pruner = new Pruner(config, state, folder);
                if (_options.ItemsOverride is { } batch)
                {
                    pruner.PruneItems(plan, batch.Job, [.. batch.Items.Select(i => i.Id)]);
                }
                else
                {
                    pruner.Prune(plan, _options.Jobs is null);
                }
            }
            // Each file is written on its own: one that cannot be written is an error naming it, never a crash that loses the others.
            var saved = !state.Dirty || WriteOrReport(state, store.Path, "the manifest", () => Save(store, state));
            var metadata = new SiteMetadataWriter(config);
            if (state.Dirty || stats.Metadata != metadata.Stamp())
            {
                WriteOrReport(state, config.MetadataFile, "the site metadata", () => stats.Metadata = metadata.Write(state.Records.OfJob));
            }
            WriteOrReport(state, statsFile, "the file-stamp cache", () => SaveStats(state, hashes, statsFile));
            WriteOrReport(state, UpToDateRecord.PathFor(config.ManifestFile), "the up-to-date record",
                () => upToDate.Finish(inputs, plan, state, hashes, engineStamp, complete: saved && finished && !cancellation.IsCancellationRequested));
        });
        return Report(plan, state, wall, cancelled: !finished || cancellation.IsCancellationRequested);
    }

    private BuildReport Unpublish(string job, IReadOnlyList<string> items, StageClock clock, Stopwatch wall, OutputJournal journal)
    {
        if (!config.Jobs.Any(j => j.Name == job))
        {
            throw CardException.Error(DiagnosticCodes.ConfigValue, $"there is no job '{job}' in the configuration", config.ConfigFile);
        }
        var store = new ManifestStore(config.ManifestFile);
        var statsFile = StatCache.PathFor(config.ManifestFile);
        var (manifest, warnings) = store.Load();
        var stats = StatCache.Load(statsFile);
        var state = new BuildState(manifest, stats, _observer, clock) { Journal = journal };
        foreach (var warning in warnings)
        {
            state.Report(warning);
        }
        SweepInterrupted(journal, state);
        var folder = new OutputFolder(config.OutputDirectory);
        var found = new Pruner(config, state, folder).RemoveItems(job, items);
        if (state.Dirty)
        {
            // What the next build may trust was just taken away: its fast path must run the full check.
            UpToDateRecord.Delete(UpToDateRecord.PathFor(config.ManifestFile));
            if (WriteOrReport(state, store.Path, "the manifest", () => Save(store, state)))
            {
                WriteOrReport(state, config.MetadataFile, "the site metadata", () => stats.Metadata = new SiteMetadataWriter(config).Write(state.Records.OfJob));
            }
            WriteOrReport(state, statsFile, "the file-stamp cache", () => SaveStats(state, new FileHashCache(stats.Files, new KeyPaths(config.BaseDirectory, EngineOptions.BuiltInTemplateFolder())), statsFile));
        }
        var plan = new BuildPlan([], [], [job]);
        var report = Report(plan, state, wall, cancelled: false);
        return report with { Unpublished = found };
    }

    /// <summary>Outputs a killed build wrote and never recorded are removed before this build plans anything against the folder.</summary>
    private void SweepInterrupted(OutputJournal journal, BuildState state)
    {
        try
        {
            var (removed, warnings) = journal.Sweep(config.OutputDirectory, key => state.Records.TryGetValue(key, out var r) ? r : null);
            warnings.ForEach(state.Report);
            foreach (var file in removed)
            {
                _observer.Message($"removed {file}, which an interrupted build wrote and never recorded");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WriteFailed, $"the pending-outputs journal could not be read or removed: {ex.Message}", journal.File));
        }
    }

    /// <summary>
    /// A source is never a write target: an item whose output would be one of this build's data files, photos or its
    /// configuration (an output pattern into the content folder, a photo job over its own folder) fails, with nothing written.
    /// </summary>
    private BuildPlan WithoutSourceTargets(BuildPlan plan)
    {
        var sources = plan.Cards.Select(c => c.Item.SourceFile).Where(f => !f.StartsWith('<')).Append(config.ConfigFile)
            .Select(Path.GetFullPath).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return plan.Without(card => card.Variants.Select(v => Path.GetFullPath(Path.Combine(config.OutputDirectory, v.Path))).FirstOrDefault(sources.Contains) is { } target
            ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputOverSource,
                $"item '{card.Item.Id}' would write {target}, which is a source of this build; BuildImages never overwrites a source (change the output pattern or outputDir)",
                card.Item.SourceFile, card.Item.Line, 0, card.Name)
            : null);
    }

    /// <summary>
    /// Items given alone (a hook, <c>render --data</c>) are planned without the rest of their job, so two ids whose outputs
    /// are one file (slugs <c>col/x</c> and <c>col-x</c>) meet only here: an output recorded for another item of the job is
    /// an error naming both, and the recorded card stays, as two items of one data file would be.
    /// </summary>
    private static BuildPlan WithoutTakenOutputs(BuildPlan plan, BuildState state) =>
        plan.Without(card => state.Records.TryGetValue(card.RecordKey, out var owner) && owner.Item != card.Item.Id
            ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputCollision,
                $"item '{card.Item.Id}' would write '{card.Output}', which is item '{owner.Item}''s of job '{card.Job.Name}'; unpublish '{owner.Item}' first, or give the items slugs that make distinct names",
                card.Item.SourceFile, card.Item.Line, 0, card.Name)
            : null);

    private List<CardWork> Check(BuildPlan plan, BuildState state, ChangeDetector detector)
    {
        var work = new CardWork?[plan.Cards.Count];
        Parallel.For(0, plan.Cards.Count, i =>
        {
            var card = plan.Cards[i];
            state.Records.TryGetValue(card.RecordKey, out var old);
            var cardReason = detector.CardReason(card, old);
            var needed = new Dictionary<PlannedVariant, RenderReason>();
            foreach (var variant in card.Variants)
            {
                var previous = old?.Variants.FirstOrDefault(v => v.Path == variant.Path);
                var reason = cardReason ?? detector.VariantReason(variant, previous);
                if (reason is not null)
                {
                    needed[variant] = reason;
                    continue;
                }
                state.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Skipped, null, variant.Width, variant.Height, variant.Encode.MimeType, previous!.Bytes, previous.Key));
            }
            if (needed.Count > 0)
            {
                work[i] = new CardWork(card, old, needed);
            }
        });
        return work.OfType<CardWork>().ToList();
    }

    /// <summary>Renders on worker threads, each with its own renderer; returns false if cancelled before the end.</summary>
    private bool RenderAll(List<CardWork> work, string engineStamp, KeyPaths paths, FileHashCache hashes, BuildState state, ManifestStore store, OutputFolder folder, CancellationToken cancellation)
    {
        using var owned = engine is null ? new CardEngine(config.EngineOptions(_options.Strict)) : null;
        var cards = (engine ?? owned)!;
        var writer = new OutputWriter(config, state.Stats, folder, state.Durable, state.Journal!);
        var next = -1;
        var done = 0;
        var checkpoint = new ManifestCheckpoint(() => Save(store, state), store.Path, _options.CheckpointInterval, state.Report);
        var workers = Workers(work.Count);
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            using var renderer = cards.CreateRenderer();
            var worker = new CardWorker(engineStamp, paths, hashes, state, writer, renderer);
            int i;
            while (!cancellation.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < work.Count)
            {
                worker.Render(work[i]);
                Interlocked.Increment(ref done);
                checkpoint.MaybeSave();
            }
        }, 16 * 1024 * 1024) { IsBackground = true, Name = "buildimages-worker" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        state.ImageCache = cards.ImageCache;
        return done == work.Count;
    }

    private int Workers(int work) => Math.Clamp(_options.Parallelism > 0 ? _options.Parallelism : Environment.ProcessorCount, 1, Math.Max(1, work));

    /// <summary>Where the manifest, the caches, the up-to-date record and images.json are written.</summary>
    private IEnumerable<string> BookkeepingFolders() =>
        BookkeepingFiles.Of(config.ManifestFile).Append(config.MetadataFile)
            .Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!);

    /// <summary>Every folder an output of this build or of the manifest lives in (never one reached through a link).</summary>
    private IEnumerable<string> OutputFolders(BuildPlan plan, BuildState state, OutputFolder folder) =>
        plan.Cards.SelectMany(c => c.Variants.Select(v => v.Path))
            .Concat(state.Records.All().SelectMany(r => r.Record.Variants.Select(v => v.File)))
            .Where(p => folder.Escape(p) is null)
            .Select(p => Path.GetDirectoryName(Path.Combine(config.OutputDirectory, p))!);

    /// <summary>Temp files a killed build left (a crash between writing and renaming); they are never trusted, only in the way.</summary>
    private static void RemoveStaleTemps(IEnumerable<string> folders)
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

    private static bool WriteOrReport(BuildState state, string file, string what, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Report(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.WriteFailed, $"could not write {what}: {ex.Message}", file));
            return false;
        }
    }

    /// <summary>Saves the manifest as it stands: every record and the input sets they name, in key order.</summary>
    private static void Save(ManifestStore store, BuildState state)
    {
        // Records first, then flush: every output a record of the snapshot names was written before the record was
        // set, so the commit covers it, and the manifest names only files that are on disk for good.
        var records = state.Records.Snapshot();
        state.Durable.Commit();
        var keys = records.SortedKeys();
        var used = records.InputIds();
        var inputs = state.InputSets.Where(s => used.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        store.Save(inputs, keys, records.WriteProperty);
        state.Journal?.Saved(key => records.TryGetValue(key, out var r) ? r : null);
    }

    /// <summary>Keeps the stat cache to the files the manifest still names; writes it only if it changed.</summary>
    private static void SaveStats(BuildState state, FileHashCache hashes, string file)
    {
        var stats = state.Stats;
        var inputs = state.Records.InputIds().SelectMany(id => state.InputSets.TryGetValue(id, out var set) ? set.Files : []).ToHashSet(StringComparer.Ordinal);
        var outputs = state.Records.All().SelectMany(r => r.Record.Variants.Select(v => v.File)).ToHashSet(StringComparer.Ordinal);
        stats.Files = stats.Files.Concat(hashes.Snapshot()).GroupBy(f => f.Key, StringComparer.Ordinal).Where(g => inputs.Contains(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        stats.Outputs = stats.OutputTimes.Where(o => outputs.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        AtomicFile.WriteIfChanged(file, stream => System.Text.Json.JsonSerializer.Serialize(stream, stats, ManifestJsonContext.Default.StatCache));
    }

    /// <summary>The report of a build the up-to-date record confirmed: every output skipped, nothing written.</summary>
    private BuildReport ReportUpToDate(IReadOnlyList<UpToDateOutput> outputs, StageClock clock, Stopwatch wall)
    {
        _observer.Planned(outputs.Count, 0);
        var state = new BuildState(new ManifestDocument(), new StatCache(), _observer, clock);
        foreach (var o in outputs)
        {
            state.Report(new OutputOutcome(o.Path, o.Item, OutputStatus.Skipped, null, o.Width, o.Height, o.Mime, o.Bytes, o.Key));
        }
        return Report(new BuildPlan([], [], []), outputs.Count, state, wall, cancelled: false) with { UpToDate = true };
    }

    /// <summary>The variant records of the outcomes' outputs that are on disk, by planned path.</summary>
    private static Dictionary<string, VariantRecord> WrittenFiles(BuildState state, IReadOnlyList<OutputOutcome> outcomes)
    {
        var paths = outcomes.Where(o => o.Status is OutputStatus.Rendered or OutputStatus.Skipped or OutputStatus.Deduplicated).Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
        foreach (var (_, record) in state.Records.All())
        {
            foreach (var v in record.Variants.Where(v => paths.Contains(v.Path)))
            {
                found[v.Path] = v;
            }
        }
        return found;
    }

    private BuildReport Report(BuildPlan plan, BuildState state, Stopwatch wall, bool cancelled) => Report(plan, plan.OutputCount, state, wall, cancelled);

    private BuildReport Report(BuildPlan plan, int outputCount, BuildState state, Stopwatch wall, bool cancelled)
    {
        foreach (var (error, items) in state.ItemsByError.Where(e => e.Value.Count > 1).OrderBy(e => e.Key.File, StringComparer.Ordinal).ThenBy(e => e.Key.Line))
        {
            var more = items.Skip(1).Order(StringComparer.Ordinal).ToList();
            _observer.Message($"the {error.Code} error above ({Path.GetFileName(error.File) ?? "buildimages"}{(error.Line > 0 ? $"({error.Line},{error.Column})" : "")}) also failed {more.Count} more item{(more.Count == 1 ? "" : "s")}: {string.Join(", ", more.Take(5))}{(more.Count > 5 ? ", …" : "")}");
        }
        var outcomes = state.Outcomes.ToArray();
        Array.Sort(outcomes, (a, b) => string.CompareOrdinal(a.Path, b.Path));
        var counts = new int[Enum.GetValues<OutputStatus>().Length];
        foreach (var o in outcomes)
        {
            counts[(int)o.Status]++;
        }
        int Count(OutputStatus s) => counts[(int)s];
        var rendered = Count(OutputStatus.Rendered);
        var outputs = new ReportOutput[outcomes.Length];
        // Only for a batch of a few items (a hook's): a million-item report would pay for an index nobody reads.
        var written = _options.ItemsOverride is null ? null : WrittenFiles(state, outcomes);
        for (var i = 0; i < outcomes.Length; i++)
        {
            var o = outcomes[i];
            var output = new ReportOutput(o.Path, o.Item, o.Status, o.Width, o.Height, o.Format, o.Bytes, o.Key, o.Reason?.Detail);
            outputs[i] = written?.GetValueOrDefault(o.Path) is { } v && v.Key == o.Key ? output with { File = v.File, Url = SiteUrl.Of(config, v.File, v.Sha256) } : output;
        }
        return new BuildReport
        {
            Rendered = rendered,
            Skipped = Count(OutputStatus.Skipped),
            Deduplicated = Count(OutputStatus.Deduplicated),
            Pruned = Count(OutputStatus.Pruned),
            Failed = outcomes.Where(o => o.Status == OutputStatus.Failed).Select(o => o.Item).Distinct(StringComparer.Ordinal).Count() + plan.Problems.Count(p => p.Severity == DiagnosticSeverity.Error),
            BytesWritten = state.BytesWritten,
            Cancelled = cancelled,
            DryRun = _options.DryRun,
            WallMilliseconds = Math.Round(wall.Elapsed.TotalMilliseconds, 1),
            Stages = state.Clock.Milliseconds(),
            ImageCache = state.ImageCache,
            Flushes = state.Durable.Counts.Commits,
            FlushedFiles = state.Durable.Counts.Files,
            // Only what was skipped or copied was avoided: a cancelled build's unrendered outputs were not.
            Cost = new ApiCost(config.PricePerRender, outputCount, Count(OutputStatus.Skipped) + Count(OutputStatus.Deduplicated)),
            Outputs = outputs,
            Photos = state.PhotoSavings.OrderBy(p => p.Path, StringComparer.Ordinal).ToList(),
            Vision = PhotoSavingCalculator.Totals(state.PhotoSavings.ToList(), state.VisionModels),
            Errors = state.Errors.Select(ReportError.From).ToList(),
            Warnings = state.Warnings.Select(ReportError.From).ToList(),
        };
    }
}
