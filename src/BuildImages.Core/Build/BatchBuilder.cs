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
public sealed class BatchBuilder(BuildConfig config, BuildOptions? options = null, IBuildObserver? observer = null)
{
    private readonly BuildOptions _options = options ?? new BuildOptions();
    private readonly IBuildObserver _observer = observer ?? NullBuildObserver.Instance;

    public BuildReport Run(CancellationToken cancellation = default)
    {
        var wall = Stopwatch.StartNew();
        var builtIn = EngineOptions.BuiltInTemplateFolder();
        var paths = new KeyPaths(config.BaseDirectory, builtIn);
        var store = new ManifestStore(config.ManifestFile);
        var (manifest, manifestWarning) = store.Load();
        var state = new BuildState(manifest, _observer);
        if (manifestWarning is not null)
        {
            state.Report(manifestWarning);
            state.MarkDirty();
        }
        var templateRoots = builtIn is null ? config.TemplateRoots : [.. config.TemplateRoots, builtIn];
        var plan = state.Clock.Time(BuildStage.Plan, () => BuildPlanner.Plan(config, new TemplateCatalog(templateRoots), paths, _options.Jobs));
        foreach (var problem in plan.Problems)
        {
            state.Report(problem);
        }
        var (engineStamp, native) = EngineStamp.Current(manifest.Native);
        if (manifest.Native != native)
        {
            state.MarkDirty();
        }
        var hashes = new FileHashCache(manifest.Files, paths);
        var work = state.Clock.Time(BuildStage.Check, () => Check(plan, state, new ChangeDetector(engineStamp, hashes, config.OutputDirectory, _options.Force)));
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
        if (work.Count > 0)
        {
            foreach (var dir in plan.Cards.SelectMany(c => c.Variants).Select(v => Path.GetDirectoryName(Path.Combine(config.OutputDirectory, v.Path))!).Distinct(StringComparer.Ordinal))
            {
                AtomicFile.RemoveStale(dir);
            }
            finished = RenderAll(work, engineStamp, paths, hashes, state, store, native, cancellation);
            if (finished)
            {
                new DuplicateCopier(config, state).CopyAll();
            }
        }
        state.Clock.Time(BuildStage.Finish, () =>
        {
            if (finished && !cancellation.IsCancellationRequested && (_options.Prune ?? config.Prune))
            {
                new Pruner(config, state).Prune(plan, _options.Jobs is null);
            }
            if (state.Dirty || hashes.Snapshot().Any(f => !manifest.Files.TryGetValue(f.Key, out var old) || old != f.Value))
            {
                store.Save(Snapshot(state, hashes, manifest, native));
            }
            new SiteMetadataWriter(config).Write(plan, state.Records);
        });
        return Report(plan, state, wall, cancelled: !finished || cancellation.IsCancellationRequested);
    }

    private List<CardWork> Check(BuildPlan plan, BuildState state, ChangeDetector detector)
    {
        var work = new CardWork?[plan.Cards.Count];
        Parallel.For(0, plan.Cards.Count, i =>
        {
            var card = plan.Cards[i];
            state.Records.TryGetValue(card.RecordKey, out var old);
            var cardReason = detector.CardReason(card, old);
            var needed = new Dictionary<PlannedVariant, RenderReason>();
            var refreshed = new List<VariantRecord>();
            foreach (var variant in card.Variants)
            {
                var previous = old?.Variants.FirstOrDefault(v => v.Path == variant.Path);
                var (reason, touched) = cardReason is null ? detector.VariantReason(variant, previous) : (cardReason, null);
                if (reason is not null)
                {
                    needed[variant] = reason;
                    continue;
                }
                if (touched is not null)
                {
                    refreshed.Add(touched);
                }
                state.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Skipped, null, variant.Width, variant.Height, variant.Encode.MimeType, previous!.Bytes, previous.Key));
            }
            if (refreshed.Count > 0)
            {
                old = old! with { Variants = old.Variants.Select(v => refreshed.FirstOrDefault(r => r.Path == v.Path) ?? v).ToList() };
                state.SetRecord(old);
            }
            if (needed.Count > 0)
            {
                work[i] = new CardWork(card, old, needed);
            }
        });
        return work.OfType<CardWork>().ToList();
    }

    /// <summary>Renders on worker threads, each with its own renderer; returns false if cancelled before the end.</summary>
    private bool RenderAll(List<CardWork> work, string engineStamp, KeyPaths paths, FileHashCache hashes, BuildState state, ManifestStore store, NativeRecord native, CancellationToken cancellation)
    {
        using var engine = new CardEngine(new EngineOptions
        {
            TemplateRoots = config.TemplateRoots,
            AssetRoots = config.AssetRoots,
            FontFolders = config.FontFolders,
            Strict = config.Strict || _options.Strict,
        });
        var next = -1;
        var done = 0;
        var checkpoint = new ManifestCheckpoint(store, _options.CheckpointInterval, () => Snapshot(state, hashes, null, native));
        var workers = Math.Clamp(_options.Parallelism > 0 ? _options.Parallelism : Environment.ProcessorCount, 1, Math.Max(1, work.Count));
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            using var renderer = engine.CreateRenderer();
            var worker = new CardWorker(config, engineStamp, paths, hashes, state, renderer);
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
        return done == work.Count;
    }

    /// <summary>The manifest as it stands: every record, and the hashes of files still referenced.</summary>
    private static ManifestDocument Snapshot(BuildState state, FileHashCache hashes, ManifestDocument? previous, NativeRecord native)
    {
        var records = state.Records.ToArray().OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var referenced = records.Values.SelectMany(r => r.Templates.Keys.Concat(r.Fonts.Keys).Concat(r.Assets.Keys)).ToHashSet(StringComparer.Ordinal);
        var files = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
        foreach (var (path, record) in (previous?.Files ?? []).Concat(hashes.Snapshot()))
        {
            if (referenced.Contains(path))
            {
                files[path] = record;
            }
        }
        return new ManifestDocument
        {
            Native = native,
            Files = files.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
            Cards = records,
        };
    }

    private BuildReport Report(BuildPlan plan, BuildState state, Stopwatch wall, bool cancelled)
    {
        var outcomes = state.Outcomes.ToArray().OrderBy(o => o.Path, StringComparer.Ordinal).ToList();
        int Count(OutputStatus s) => outcomes.Count(o => o.Status == s);
        var rendered = Count(OutputStatus.Rendered);
        return new BuildReport
        {
            Rendered = rendered,
            Skipped = Count(OutputStatus.Skipped),
            Deduplicated = Count(OutputStatus.Deduplicated),
            Pruned = Count(OutputStatus.Pruned),
            Failed = outcomes.Where(o => o.Status == OutputStatus.Failed).Select(o => o.Item).Distinct(StringComparer.Ordinal).Count() + plan.Problems.Count,
            BytesWritten = state.BytesWritten,
            Cancelled = cancelled,
            DryRun = _options.DryRun,
            WallMilliseconds = Math.Round(wall.Elapsed.TotalMilliseconds, 1),
            Stages = state.Clock.Milliseconds(),
            Cost = new ApiCost(config.PricePerRender, plan.OutputCount, plan.OutputCount - rendered - Count(OutputStatus.Failed)),
            Outputs = outcomes.Select(o => new ReportOutput(o.Path, o.Item, o.Status.ToString().ToLowerInvariant(), o.Width, o.Height, o.Format, o.Bytes, o.Key, o.Reason?.Detail)).ToList(),
            Errors = state.Errors.Select(ReportError.From).ToList(),
            Warnings = state.Warnings.Select(ReportError.From).ToList(),
        };
    }
}
