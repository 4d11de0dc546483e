using System.Diagnostics;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// The batch build every front runs: plan → check against the manifest → render what changed, in parallel,
/// de-duplicated → copy duplicates → prune → manifest → images.json → report. A configuration or data
/// syntax problem throws <see cref="BuildInputException"/> before anything is written; an item's problem fails
/// that item only. The no-op path makes no native call.
/// </summary>
/// <param name="config">The loaded configuration.</param>
/// <param name="options">How this build runs (null: the defaults).</param>
/// <param name="observer">Told of each output and diagnostic as it happens.</param>
/// <param name="engine">
/// A long-lived host's engine (the hook server's), made from this config's <see cref="BuildConfig.EngineOptions"/>:
/// its fonts, templates and decoded images are loaded once, not per build. Null: the build makes its own.
/// </param>
/// <param name="workspace">The configuration's shared template catalog and key paths (a host's); null: the build makes its own.</param>
public sealed class BatchBuilder(BuildConfig config, BuildOptions? options = null, IBuildObserver? observer = null, CardEngine? engine = null, Workspace? workspace = null)
{
    private readonly Workspace _workspace = workspace is null || ReferenceEquals(workspace.Config, config)
        ? workspace ?? new Workspace(config)
        : throw new ArgumentException("the workspace belongs to another configuration", nameof(workspace));

    /// <summary>Outputs from which a build collects its render phase's garbage before the finish (a smaller build's is a few megabytes).</summary>
    private const int LargeBuildOutputs = 10_000;

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
        var paths = _workspace.Paths;
        var templates = _workspace.Templates;
        var clock = new StageClock();
        // Every output path the build names, held once: the output-time table, the outcome log and the up-to-date record
        // name outputs by their ids in it.
        var outputPaths = new PathPool(_options.OutputPathBlockBits);
        // What the build's scratch stores (fields, records, outcomes) hold in memory, together.
        var scratch = new ScratchBudget(_options.RecordMemoryBudget);
        // Where the scratch stores put what does not fit the budget: beside the manifest; a dry run, which changes
        // nothing in the site (and may not have its folder yet), in the system's temp folder. Either way the files are
        // nameless where the system allows it (Linux, macOS) and deleted on close elsewhere. Held in memory, a dry run's
        // were 900 MiB at a million items.
        var spillBeside = _options.DryRun ? Path.Combine(Path.GetTempPath(), "buildimages-dry-run") : config.ManifestFile;
        // The finish walks every output in path order (the stat cache, the up-to-date record, the report's outcomes): a
        // cold build's order of them all is kept in scratch blocks past a mebi-id, not held (4 bytes an output).
        outputPaths.KeepOrdersIn(new ScratchBlocks(spillBeside, "order", scratch), _options.PathOrderRunLength);
        // The paths' own bytes likewise: a block of them once full (150 MB held to the end at three million items).
        outputPaths.KeepBlocksIn(new ScratchBlocks(spillBeside, "paths", scratch, makeFolder: true));
        var log = new BuildLog(_observer, new OutcomeSpill(spillBeside, scratch, outputPaths, _options.ChunksHeld ?? OutcomeSpill.DefaultChunksHeld), new DiagnosticSpill(spillBeside, scratch), _options.MostRepeatedErrors);
        var reports = new ReportMaker(config, _options, paths, clock, wall);
        var upToDate = new UpToDateCheck(config, _options, paths, templates);
        StaleTemps.RemoveFromBookkeeping(config);
        if (_options.RemoveItems is { } removal)
        {
            return new Unpublisher(config, paths, log, reports).Run(removal.Job, removal.Items);
        }
        using var journal = new OutputJournal(OutputJournal.PathFor(config.ManifestFile));
        // A journal left behind means a build was killed before its manifest named what it wrote: take the full path.
        if (!File.Exists(journal.File) && clock.Time(BuildStage.Check, upToDate.TryConfirm) is { } current)
        {
            return ReportUpToDate(current, upToDate.ConfirmedInputKeys, log, reports);
        }
        if (File.Exists(config.OutputDirectory))
        {
            throw BuildInputException.Error(DiagnosticCodes.ConfigValue, $"outputDir '{config.OutputDirectory}' is a file, not a folder", config.ConfigFile);
        }
        var inputs = upToDate.Capture(scratch);
        var (plan, manifest) = PlanAndOpen(templates, paths, outputPaths, scratch, spillBeside, journal, clock, log, cancellation);
        using var disposeManifest = manifest;
        if (_options.Shard is { } shard)
        {
            plan = plan with { Items = PlannedItemList.Filter(plan.Items, (item, _) => shard.Contains(item.RecordKey)) };
        }
        // Every planned output logs an outcome and gets a write time: both tables (and the pool of paths) are sized once
        // here, where growing by doubling held the old and the new array at once near the end (4,000,000 entries of
        // 16 bytes and more each at a million items).
        log.Expect(plan.OutputCount);
        manifest.Stats.OutputTimes.Expect(plan.OutputCount);
        manifest.Records.Expect(plan.Items.Count);
        var stats = manifest.Stats;
        var (engineStamp, native) = EngineStamp.Current(stats.Native);
        stats.Native = native;
        var hashes = new FileHashCache(stats.Files, paths);
        var photos = new PhotoRun(_options.PhotoProcessing ?? Imaging.InProcessPhotos.Instance, config.Jobs.Any(j => j.Photos is not null) ? VisionModels() : []);
        var detector = new ChangeDetector(engineStamp, hashes, stats, id => manifest.TryGetInputSet(id, out var set) ? set : null, config.OutputDirectory, _options.Force);
        var folder = new OutputFolder(config.OutputDirectory);
        var rendering = new RenderContext(plan, manifest, log, clock, journal, hashes, photos, folder, engineStamp, purpose => new ScratchBlocks(spillBeside, purpose, scratch, makeFolder: true));
        var large = plan.OutputCount >= LargeBuildOutputs;
        // Trims the native heap from here to the build's end (a large build's peak is its render phase's or finish's).
        using var trimmer = large ? new NativeHeapTrimmer() : null;
        if (large)
        {
            // Planning and reading the manifest leave their garbage (the data's parse, the key pools' grown arrays) in
            // the oldest generation and holes in the large-object heap, which the check would build on: at a million
            // items about 60 MB the collector held and the check's peak stood on. Compacted and given back here.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        var (finished, imageCache, remote) = CheckAndRender(rendering, detector, cancellation);
        if (large)
        {
            // The render phase's work list, duplicate table and waiting copies are garbage now, most of it in the oldest
            // generation, which the collector would otherwise carry into the finish (where reading every record back and
            // writing the manifest adds its own): a large build's peak. One compacting collection here took the
            // 100,000-item bench's peak from 504-514 to 453-470 MiB.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        if (_options.DryRun)
        {
            return reports.Make(plan, plan.OutputCount, log, manifest, photos, null, cancelled: false);
        }
        using var disposeRemote = remote;
        remote?.Finish();
        var complete = finished && !cancellation.IsCancellationRequested;
        clock.Time(BuildStage.Finish, () =>
        {
            // A shard holds part of the items: the others are not gone.
            if (complete && (_options.Prune ?? config.Prune) && _options.Shard is null)
            {
                var pruner = new Pruner(config, manifest, log, photos, folder);
                if (_options.ItemsOverride is { } batch)
                {
                    pruner.PruneItems(plan, batch.Job, [.. batch.Items.Select(i => i.Id)]);
                }
                else
                {
                    pruner.Prune(plan, _options.Jobs is null);
                }
            }
            if (large)
            {
                // The pruner's index of planned outputs (6 bytes an item) and what it read are garbage now, before the
                // manifest's save and the two passes beside it each make their own: at two million items the finish
                // peaked at 464 MiB without this collection, 432 with it (one run each; docs/remote-cache.md).
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            // Each file is written on its own: one that cannot be written is an error naming it, never a crash that loses the others.
            // What the up-to-date record and the stat cache list of outputs is gathered from the records meanwhile, on the
            // other core: at a million items the two took 24.5 and 7.3 s of the finish on one core, each reading every
            // record, as the manifest and images.json do.
            var gathering = upToDate.StartGathering(inputs, plan, manifest, log, hashes, complete);
            var outputTimes = Task.Run(manifest.RecordedOutputTimes);
            try
            {
                var saved = !manifest.Dirty || log.WriteOrReport(manifest.ManifestFile, "the manifest", manifest.SaveSettled);
                var metadata = new SiteMetadataWriter(config);
                if (manifest.Dirty || stats.Metadata != metadata.Stamp())
                {
                    log.WriteOrReport(config.MetadataFile, "the site metadata", () => stats.Metadata = metadata.Write(manifest.Records.OfJob));
                }
                // The gathering may hash an input file: once it is done, the stat cache holds the same whatever the timing.
                Settle(gathering);
                var statsFile = StatCache.PathFor(config.ManifestFile);
                log.WriteOrReport(statsFile, "the file-stamp cache", () => manifest.SaveStats(hashes, statsFile, outputTimes.GetAwaiter().GetResult()));
                // A failure of the gathering is thrown here, where the up-to-date record's own are reported.
                log.WriteOrReport(UpToDateRecord.PathFor(config.ManifestFile), "the up-to-date record",
                    () => upToDate.Finish(inputs, gathering?.GetAwaiter().GetResult(), manifest, log, engineStamp, complete: saved && complete));
            }
            finally
            {
                // Never leave them reading records past the session that holds them.
                Settle(gathering);
                Settle(outputTimes);
            }
        });
        return reports.Make(plan, plan.OutputCount, log, manifest, photos, imageCache, cancelled: !complete) with { RemoteCache = remote?.Stats() };
    }

    /// <summary>
    /// Checks every planned output against the manifest, then (unless this is a dry run, which only logs what would
    /// render) renders and copies what changed. The work list, the duplicate table and the copies waiting in it are
    /// this method's own: they are garbage before the finish reads the records back and writes the manifest, which is
    /// where a large build peaks (at 100,000 equal cards they are about 450 bytes an item).
    /// </summary>
    private (bool Finished, Assets.ImageCacheStats? ImageCache, Caching.OutputCache? Remote) CheckAndRender(RenderContext run, ChangeDetector detector, CancellationToken cancellation)
    {
        var (plan, manifest, log, clock) = (run.Plan, run.Manifest, run.Log, run.Clock);
        var work = clock.Time(BuildStage.Check, () => OutputCheck.Run(plan, manifest, log, detector, run.NewScratchStore));
        _observer.Planned(plan.OutputCount, work.NeededOutputs);
        if (_options.DryRun)
        {
            foreach (var w in work.TakeAll())
            {
                var item = w.Planned;
                foreach (var (v, reason) in w.NeededOf(item))
                {
                    log.Report(new OutputOutcome(v.Path, item.Name, OutputStatus.Rendered, reason, v.Width, v.Height, v.Encode.MimeType, 0, null));
                }
            }
            return (true, null, null);
        }
        StaleTemps.RemoveFromOutputs(config, plan, manifest, run.Folder);
        if (work.Count == 0)
        {
            return (true, null, null);
        }
        var remote = _options.RemoteCache is { } cacheOptions
            ? new Caching.OutputCache(cacheOptions, message => log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.RemoteCache, message, config.ConfigFile)))
            : null;
        try
        {
            run.Folder.EnsureWritable(config.ConfigFile);
            var context = new WorkerContext(run.EngineStamp, _workspace.Paths, run.Hashes, manifest, log, clock, new OutputWriter(config, manifest.Stats, run.Folder, manifest.Durable, run.Journal), remote, _options.RequireCached);
            var duplicates = new DuplicateTable();
            var checkpoint = new ManifestCheckpoint(manifest.Save, manifest.ManifestFile, _options.CheckpointInterval, log.Report);
            var copier = new DuplicateCopier(context, duplicates, checkpoint);
            var (finished, imageCache) = new RenderPool(config, _options, engine).RenderAll(work, context, duplicates, copier, run.Photos, checkpoint, cancellation);
            duplicates.EndClaims();
            if (finished)
            {
                var copiers = RenderPool.Workers(_options, work.Count);
                clock.Time(BuildStage.Copy, () => copier.CopyAll(copiers));
            }
            return (finished, imageCache, remote);
        }
        catch
        {
            // The caller owns the cache only once it is handed back.
            remote?.Dispose();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="task"/>, if any, has ended, without throwing what it failed with (whoever takes its result does).</summary>
    private static void Settle(Task? task)
    {
        if (task is not null)
        {
            Task.WaitAny(task);
        }
    }

    /// <summary>What <see cref="CheckAndRender"/> works with that the build made before it, and keeps after it.</summary>
    private sealed record RenderContext(BuildPlan Plan, ManifestSession Manifest, BuildLog Log, StageClock Clock, OutputJournal Journal, FileHashCache Hashes, PhotoRun Photos, OutputFolder Folder, string EngineStamp, Func<string, ScratchBlocks> NewScratchStore);

    /// <summary>
    /// Plans the build while the manifest is read (on a no-op build they are most of the time, and independent), then
    /// opens the manifest, sweeps what a killed build left, and takes out of the plan what must not be written.
    /// </summary>
    private (BuildPlan Plan, ManifestSession Manifest) PlanAndOpen(TemplateCatalog templates, KeyPaths paths, PathPool outputPaths, ScratchBudget scratch, string spillBeside, OutputJournal journal, StageClock clock, BuildLog log, CancellationToken cancellation)
    {
        var store = new ManifestStore(config.ManifestFile);
        // The output times grow with the outputs: a table that files them (4 bytes an output held to the finish before).
        var timesStore = new ScratchBlocks(spillBeside, "output-times", scratch, makeFolder: true);
        var newTimes = () => new OutputTimeTable(outputPaths, timesStore, _options.ChunksHeld ?? OutputTimeTable.DefaultChunksHeld);
        var loading = Task.Run(() => ManifestSession.Open(store, StatCache.Load(StatCache.PathFor(config.ManifestFile), newTimes), journal, scratch));
        BuildPlan plan;
        try
        {
            // The cards' fields are kept out of the plan, which lives to the build's end. So are its problems: a million
            // items writing one file are a million errors. And so are its items: a million cards' rows were 88 MB of a
            // large build's finish.
            var fields = new Data.FieldStore(spillBeside, scratch);
            var problems = new ScratchBlocks(spillBeside, "problems", scratch, makeFolder: true);
            var rows = new ScratchBlocks(spillBeside, "plan", scratch, makeFolder: true);
            plan = clock.Time(BuildStage.Plan, () => BuildPlanner.Plan(config, templates, paths, _options.Jobs, _options.ItemsOverride, fields, problems, rows, _options.ChunksHeld ?? Planning.PlannedItemList.DefaultChunksHeld));
            loading.Wait(cancellation);
        }
        catch
        {
            // Never leave the reader running past a configuration error or a cancellation, nor its scratch file open.
            try
            {
                loading.Wait(CancellationToken.None);
                loading.Result.Session.Dispose();
            }
            catch (AggregateException)
            {
                // The reader's own failure: the one being thrown is the one to report.
            }
            throw;
        }
        var (manifest, warnings) = loading.Result;
        if (!_options.DryRun)
        {
            manifest.SweepInterrupted(config.OutputDirectory, log);
        }
        plan = PlanGuards.WithoutSourceTargets(config, plan);
        if (_options.ItemsOverride is not null)
        {
            plan = PlanGuards.WithoutTakenOutputs(plan, manifest);
        }
        foreach (var warning in warnings)
        {
            log.Report(warning);
            manifest.MarkDirty();
        }
        foreach (var problem in plan.Problems)
        {
            log.ReportProblem(problem);
        }
        return (plan, manifest);
    }

    private IReadOnlyList<Imaging.VisionModel> VisionModels() =>
        Imaging.VisionModels.BuiltIn().Select(m => config.VisionPrices.TryGetValue(m.Model, out var price) ? m with { PricePerMillion = price } : m).ToList();

    /// <summary>The report of a build the up-to-date record confirmed: every output skipped, nothing written.</summary>
    private BuildReport ReportUpToDate(IReadOnlyList<UpToDateOutput> outputs, IEnumerable<string> inputKeys, BuildLog log, ReportMaker reports)
    {
        _observer.Planned(outputs.Count, 0);
        log.TellUpToDate(new ProjectedList<UpToDateOutput, OutputOutcome>(outputs, o => new OutputOutcome(o.Path, o.Item, OutputStatus.Skipped, null, o.Width, o.Height, o.Mime, o.Bytes, o.Key)));
        return reports.UpToDate(outputs, inputKeys, log);
    }
}
