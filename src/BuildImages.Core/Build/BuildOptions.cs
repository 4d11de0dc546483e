namespace BuildImages.Core.Build;

/// <summary>How one build runs (the fronts map their flags onto this).</summary>
public sealed record BuildOptions
{
    /// <summary>Render every output, whatever the manifest says.</summary>
    public bool Force { get; init; }

    /// <summary>Plan and check only: report what would be rendered; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Only these jobs (null: all). Pruning then only touches these jobs' outputs.</summary>
    public IReadOnlyCollection<string>? Jobs { get; init; }

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Parallelism { get; init; }

    /// <summary>Overrides the configuration's <c>prune</c>.</summary>
    public bool? Prune { get; init; }

    /// <summary>Overrides the configuration's <c>strict</c> when true.</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Renders these items under one job instead of the job's data (a CMS publish hook rendering the item that
    /// changed). Nothing is pruned; the job's other outputs stay in the manifest and images.json.
    /// </summary>
    public (string Job, IReadOnlyList<Data.DataItem> Items)? ItemsOverride { get; init; }

    /// <summary>
    /// Unpublishes these items of one job instead of building (the hook server's DELETE): their outputs are pruned
    /// and their records dropped; nothing is planned or rendered. The report counts the outputs pruned.
    /// </summary>
    public (string Job, IReadOnlyList<string> Items)? RemoveItems { get; init; }

    /// <summary>Where photos are right-sized: <see cref="Imaging.InProcessPhotos"/> by default; the tool passes a <see cref="Imaging.PhotoSandbox"/>.</summary>
    public Imaging.IPhotoProcessing? PhotoProcessing { get; init; }

    /// <summary>
    /// How often the manifest is saved while rendering and copying, so a killed build keeps what it finished (stretched to
    /// twenty times a save's duration for large manifests); zero saves after every item.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a build waits for another build writing to the same output folder before it fails (BI0035).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Fill <see cref="BuildReport.RecordedFiles"/> and <see cref="BuildReport.InputFiles"/> (a front that lists files,
    /// the MSBuild task, asks; listing them costs a pass over every record, so others do not).
    /// </summary>
    public bool ListFiles { get; init; }

    /// <summary>A remote cache shared by machines: outputs are fetched from it before they are rendered, and stored in it after (see <see cref="Caching.RemoteCacheOptions"/>); null: none.</summary>
    public Caching.RemoteCacheOptions? RemoteCache { get; init; }

    /// <summary>
    /// Take every output that must be written from the remote cache and render nothing: an output it does not have fails
    /// its item (BI0038). The step that assembles a site after its shards built it.
    /// </summary>
    public bool RequireCached { get; init; }

    /// <summary>
    /// Build one part of the items (<see cref="Planning.Shard"/>): the others are neither rendered nor pruned, and no
    /// up-to-date record is written. Shards share their outputs through <see cref="RemoteCache"/>.
    /// </summary>
    public Planning.Shard? Shard { get; init; }

    /// <summary>Bytes of serialised records, fields and outcomes a build holds in memory, together, before the rest go to scratch files (tests set it low to take that path).</summary>
    internal long RecordMemoryBudget { get; init; } = RecordSpill.DefaultMemoryBudget;

    /// <summary>The most output paths a build sorts in memory at once; an order of more is kept in scratch blocks (<see cref="Primitives.SpilledPathOrder"/>; smaller in tests).</summary>
    internal int PathOrderRunLength { get; init; } = Primitives.SpilledPathOrder.DefaultRunLength;

    /// <summary>The chunks of the plan's places and of the outcome log's held before the rest are filed (null: each table's own; 1 in tests, so a few items take that path).</summary>
    internal int? ChunksHeld { get; init; }

    /// <summary>The output paths' pool's blocks, 2^this bytes each, each filed in scratch blocks once full (smaller in tests, so a few outputs fill several).</summary>
    internal int OutputPathBlockBits { get; init; } = Primitives.PathPool.DefaultBlockBits;

    /// <summary>How many kinds of card error are told once with the items they failed (see <see cref="BuildLog.MostRepeatedErrors"/>; smaller in tests).</summary>
    internal int MostRepeatedErrors { get; init; } = BuildLog.MostRepeatedErrors;
}
