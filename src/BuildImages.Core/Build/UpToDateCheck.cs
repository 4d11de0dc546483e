using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Build;

/// <summary>
/// The no-op fast path: before planning, confirms from the <see cref="UpToDateRecord"/> that nothing changed since
/// the last complete build; after a build that planned, writes the record anew (or forgets it).
/// <para>
/// The record is trusted exactly as far as the full check would trust the same files. The plan is decided by the
/// configuration's bytes, the build options, which template each job resolves to and its size, the file list of the
/// font folders, and the engine (all in the fingerprint); by the file list of each data glob and photo folder (a print of its own, not globbed again while
/// the folders the glob read list the same entries: <see cref="FolderListings"/>); and by the data files' contents,
/// checked by size and time, and by hash when those changed. Template, font and asset files and outputs are checked
/// as the full check does. Anything else (an unreadable record, --force, rendering given items, a configuration made in memory) takes the full path.
/// </para>
/// </summary>
internal sealed class UpToDateCheck(BuildConfig config, BuildOptions options, KeyPaths paths, TemplateCatalog templates)
{
    private readonly string _file = UpToDateRecord.PathFor(config.ManifestFile);
    private UpToDateRecord? _previous;
    private string? _fixedPrint;
    private bool _fixedMade;
    private PlanListing? _listing;

    /// <summary>A build of what the configuration asks for, from a configuration file (whose bytes the fingerprint holds).</summary>
    // A shard's build covers part of the plan: its record would confirm a whole build that never happened.
    private bool CanRecord => options.ItemsOverride is null && options.Shard is null && config.ContentHash is not null;

    /// <summary>After <see cref="TryConfirm"/> confirmed: the keys of every file the record holds (data, templates, fonts, images), read when enumerated.</summary>
    internal IEnumerable<string> ConfirmedInputKeys => _previous?.Files.Select(f => f.Key) ?? [];

    /// <summary>Every output, all current, ordered by path; or null when the full check must run.</summary>
    internal IReadOnlyList<UpToDateOutput>? TryConfirm()
    {
        if (!CanRecord || options.Force || (_previous = UpToDateRecord.Load(_file)) is not { } record)
        {
            return null;
        }
        var (engine, native) = EngineStamp.Current(record.Native);
        if (FixedPrint() is not { } print
            || Fingerprint(print, engine) != record.Fingerprint
            || FileStamp.Describe(config.ManifestFile) != record.ManifestStamp
            || new SiteMetadataWriter(config).Stamp() != record.MetadataStamp)
        {
            return null;
        }
        // The data globs' file lists: proven by the folders they were read from, else globbed again and compared.
        var folders = record.Folders;
        var listed = FoldersUnchanged(folders);
        if (!listed)
        {
            var listing = Listing();
            if (listing.Print != record.ListedPrint)
            {
                return null;
            }
            folders = Keyed(listing.Folders);
        }
        if (CurrentFiles(record) is not { } files)
        {
            return null;
        }
        // Outputs not read from the record's file are no proof of anything on disk (Load always reads them so).
        if (record.Outputs is not RecordedOutputs recorded || !OutputsUnchanged(recorded))
        {
            return null;
        }
        if (!options.DryRun && (files.Renewed || native != record.Native || (!listed && folders is not null)))
        {
            // A file was touched but not changed: keep its new time so the next build does not hash it again; the
            // native libraries' files were stamped anew (their versions the same): keep the stamp, so the next no-op
            // does not load them to read their versions; a folder the lists were read from lists other entries, and
            // globbing again gave the same lists: keep what it lists now, so the next no-op does not glob (not in a dry
            // run, which promises to write nothing).
            Save(new UpToDateRecord
            {
                Fingerprint = record.Fingerprint, ListedPrint = record.ListedPrint, Folders = folders, ManifestStamp = record.ManifestStamp,
                MetadataStamp = record.MetadataStamp, Native = native, Files = files.Files, Outputs = record.Outputs,
            });
        }
        return recorded;
    }

    /// <summary>
    /// What the record will say of the plan's inputs, taken before planning reads them (a file edited during the build
    /// is then seen as changed by the next one); null when no record can come of this build (a dry run writes none).
    /// The data files' records are kept as the record's bytes in <paramref name="scratch"/>'s stores, not as objects to
    /// the build's end; the keys globbed for them are dropped once captured.
    /// </summary>
    internal PlanInputs? Capture(ScratchBudget scratch)
    {
        if (!CanRecord || options.DryRun || FixedPrint() is not { } print)
        {
            return null;
        }
        var listing = Listing();
        _listing = null;
        // In ordinal order: the order a record lists its data files in, so each file's last record is found by walking
        // that record beside them, never through a map of them (a key, a record and an entry a post).
        var keys = listing.DataFiles;
        using var last = new LastRecords(_previous?.Files);
        var data = new EncodedFiles(config.ManifestFile, scratch);
        foreach (var id in keys.LatePathOrder(0))
        {
            var key = keys.PathOf(id);
            if (Current(key, last.Find(key)) is not { } now)
            {
                return null;
            }
            data.Add(key, now);
        }
        return new PlanInputs(print, listing.Print, Keyed(listing.Folders), data);
    }

    /// <summary>
    /// Starts gathering, on another thread, what a new record will list: every planned output as the manifest records
    /// it, and the files its input sets name. Nothing it reads changes once pruning is done, and it reads every record
    /// (the record took 24.5 s of a million-item build's finish on one core), so it runs beside the writing of the
    /// manifest and images.json. Null when no record can be written whatever happens next. The caller waits for it
    /// before the records go (it reads them) and hands what it found to <see cref="Finish"/>.
    /// </summary>
    internal Task<GatheredOutputs?>? StartGathering(PlanInputs? inputs, BuildPlan plan, ManifestSession manifest, BuildLog log, FileHashCache hashes, bool complete) =>
        complete && !options.DryRun && inputs is not null && plan.Problems.Count == 0 && !log.HasDiagnostics
            ? Task.Run(() => Gather(plan, manifest, hashes))
            : null;

    /// <summary>
    /// After a build: writes the record when the build was complete and clean, else forgets it if the manifest changed.
    /// <paramref name="gathered"/> is what <see cref="StartGathering"/> found (null: it did not run, or found an output
    /// the manifest does not record), used only now, with the manifest's and images.json's stamps as saved.
    /// </summary>
    internal void Finish(PlanInputs? inputs, GatheredOutputs? gathered, ManifestSession manifest, BuildLog log, string engineStamp, bool complete)
    {
        var clean = complete && !options.DryRun && !log.HasDiagnostics;
        var record = clean && inputs is not null && gathered is not null ? Make(inputs, gathered, manifest, log, engineStamp) : null;
        if (record is not null)
        {
            Save(record);
        }
        else if (manifest.Dirty || log.HasErrors || !complete)
        {
            UpToDateRecord.Delete(_file);
        }
    }

    private GatheredOutputs? Gather(BuildPlan plan, ManifestSession manifest, FileHashCache hashes)
    {
        var files = new List<(string Key, FileRecord File)>();
        var sets = new HashSet<string>(StringComparer.Ordinal);
        var times = manifest.Stats.OutputTimes;
        var outputs = new UpToDateOutputs(times.Paths);
        foreach (var card in plan.Items)
        {
            if (!manifest.Records.TryGetValue(card.RecordKey, out var record) || !manifest.TryGetInputSet(record.Inputs, out var set))
            {
                return null;
            }
            if (sets.Add(record.Inputs))
            {
                foreach (var key in set.Files)
                {
                    if (hashes.Record(key) is not { } file)
                    {
                        return null;
                    }
                    files.Add((key, file));
                }
            }
            foreach (var variant in card.Variants)
            {
                var written = record.Variants.FirstOrDefault(v => v.Path == variant.Path);
                if (written is null)
                {
                    return null;
                }
                var file = times.Paths.Find(written.File);
                var path = written.File == variant.Path ? file : times.Paths.Find(variant.Path);
                if (!times.TryGetValue(file, out _) || !outputs.Add(path, file, written.Width, written.Height, written.Mime, written.Bytes, written.Key))
                {
                    return null;
                }
            }
        }
        return new GatheredOutputs(files, outputs);
    }

    private UpToDateRecord Make(PlanInputs inputs, GatheredOutputs gathered, ManifestSession manifest, BuildLog log, string engineStamp) => new()
    {
        Fingerprint = Fingerprint(inputs.Print, engineStamp),
        ListedPrint = inputs.ListedPrint,
        Folders = inputs.Folders,
        ManifestStamp = FileStamp.Describe(config.ManifestFile),
        MetadataStamp = manifest.Stats.Metadata ?? string.Empty,
        Native = manifest.Stats.Native ?? new NativeRecord(string.Empty, string.Empty),
        Files = WithOthers(inputs.DataFiles, gathered.Files),
        Outputs = gathered.Outputs.From(log.OutcomesWithPathIds(), manifest.Stats.OutputTimes),
    };

    /// <summary>
    /// The record's files: the data files as captured, then the outputs' other input files (templates, fonts, assets)
    /// that are not among them, each once. A data file an output also reads keeps its capture. Only the other files'
    /// keys are held: a million data files are read back from their bytes, never put in a set.
    /// </summary>
    private static EncodedFiles WithOthers(EncodedFiles data, IReadOnlyList<(string Key, FileRecord File)> others)
    {
        var wanted = others.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (wanted.Count > 0)
        {
            foreach (var key in data.Keys())
            {
                if (wanted.Contains(key))
                {
                    taken.Add(key);
                }
            }
        }
        foreach (var (key, file) in others)
        {
            if (taken.Add(key))
            {
                data.Add(key, file);
            }
        }
        return data;
    }

    private void Save(UpToDateRecord record)
    {
        try
        {
            record.Save(_file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Only a speed-up: the next build checks everything. (Outputs that do not match what the records say of
            // them, InvalidDataException, would be a bug; the record is not written from them.)
            UpToDateRecord.Delete(_file);
        }
    }

    /// <summary>The plan's fixed print (<see cref="PlanFingerprint.Fixed"/>), made once: confirming and capturing both need it.</summary>
    private string? FixedPrint()
    {
        if (!_fixedMade)
        {
            _fixedPrint = PlanFingerprint.Fixed(config, options, paths, templates);
            _fixedMade = true;
        }
        return _fixedPrint;
    }

    /// <summary>The plan's file lists, globbed once: a no-op whose folders changed and the build after it share them.</summary>
    private PlanListing Listing() => _listing ??= PlanFingerprint.List(config, options, paths);

    /// <summary>The folders by key path, or null when they prove nothing.</summary>
    private Dictionary<string, UInt128>? Keyed(FolderListings listings) =>
        listings.Complete ? listings.Folders.ToDictionary(f => paths.ToKey(f.Key), f => f.Value, StringComparer.Ordinal) : null;

    /// <summary>Every folder the record's file lists were read from lists the entries it listed then (one directory read each, no stat per entry).</summary>
    private bool FoldersUnchanged(IReadOnlyDictionary<string, UInt128>? folders) =>
        folders is not null && folders.All(f => FolderListings.Current(paths.ToFull(f.Key)) == f.Value);

    /// <summary>
    /// Every file of the record still there with its recorded hash, checked as it is read from the record; null when one
    /// is gone or changed, or the record is damaged. Files whose times changed (touched, not changed) make the list anew;
    /// else the record's own files are given back, never held.
    /// </summary>
    private (IReadOnlyCollection<(string Key, FileRecord File)> Files, bool Renewed)? CurrentFiles(UpToDateRecord record)
    {
        List<(string Key, FileRecord File)>? renewed = null;
        try
        {
            var index = 0;
            foreach (var (key, known) in record.Files)
            {
                if (Current(key, known) is not { } now || !now.SameContent(known))
                {
                    return null;
                }
                if (renewed is null && now != known)
                {
                    renewed = new List<(string, FileRecord)>(record.Files.Count);
                    renewed.AddRange(record.Files.Take(index));
                }
                renewed?.Add((key, now));
                index++;
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }
        return renewed is null ? (record.Files, false) : (renewed, true);
    }

    /// <summary>
    /// The last record's files, walked once in step with keys asked for in ordinal order. Its data files come first, in
    /// that order (a record written before they were sorted lists them by job, each job's in that order: a file it does
    /// not find where it looks is hashed again, never given another's record); the other files after them only end the
    /// walk. A damaged record ends it too.
    /// </summary>
    private sealed class LastRecords(IEnumerable<(string Key, FileRecord File)>? files) : IDisposable
    {
        private readonly IEnumerator<(string Key, FileRecord File)>? _files = files?.GetEnumerator();
        private (string Key, FileRecord File)? _next;
        private bool _started;

        /// <summary>The record of <paramref name="key"/>, or null when the walk passed where it would be.</summary>
        internal FileRecord? Find(string key)
        {
            if (!_started)
            {
                _started = true;
                Advance();
            }
            while (_next is { } next)
            {
                var order = string.CompareOrdinal(next.Key, key);
                if (order > 0)
                {
                    return null;
                }
                Advance();
                if (order == 0)
                {
                    return next.File;
                }
            }
            return null;
        }

        public void Dispose() => _files?.Dispose();

        private void Advance()
        {
            try
            {
                _next = _files is not null && _files.MoveNext() ? _files.Current : null;
            }
            catch (InvalidDataException)
            {
                _next = null;
            }
        }
    }

    private static string Fingerprint(string planPrint, string engineStamp) => ContentHash.OfParts(planPrint, engineStamp);

    private FileRecord? Current(string key, FileRecord? known) => FileHashCache.Current(paths.ToFull(key), known);

    /// <summary>
    /// Every output is on disk with the size and time it had when written or last verified, and names a path the build
    /// may act on. Read from the record a block of raw bytes at a time (<see cref="RecordedOutputs.StampBlocks"/>: no
    /// string per output) and checked a block at a time on every core, the next block read meanwhile: memory stays the
    /// same at any count, and the time is the system calls'.
    /// </summary>
    private bool OutputsUnchanged(RecordedOutputs recorded)
    {
        using var directory = new FileStampFolder(config.OutputDirectory);
        // The block before this one is checked while this one is read: reading the record and the system calls overlap.
        Task<bool> previous = Task.FromResult(true);
        try
        {
            foreach (var block in recorded.StampBlocks())
            {
                if (!previous.GetAwaiter().GetResult())
                {
                    block.Dispose();
                    return false;
                }
                previous = Task.Run(() =>
                {
                    using (block)
                    {
                        return Unchanged(block, directory);
                    }
                });
            }
            return previous.GetAwaiter().GetResult();
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            // Never leave a check running past the answer (its block is discarded either way).
            previous.Wait();
        }
    }

    private bool Unchanged(OutputStampBlock block, FileStampFolder directory)
    {
        var changed = 0;
        // Ranges of 512, not one delegate call per output: at four million outputs the calls would show.
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, block.Count, 512), (range, loop) =>
        {
            var cursor = directory.ForThisThread();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                if (!Unchanged(block, block.Stamps[i], cursor))
                {
                    Interlocked.Exchange(ref changed, 1);
                    loop.Stop();
                    return;
                }
            }
        });
        return changed == 0;
    }

    /// <summary>One output: its paths certainly safe by their bytes (else decoded and checked in full), its file's stamp the recorded one.</summary>
    private bool Unchanged(OutputStampBlock block, in OutputStamp stamp, FileStampCursor directory)
    {
        var path = block.PathOf(stamp);
        var file = block.FileOf(stamp);
        var expected = new FileStamp(stamp.Bytes, stamp.ModifiedTicks);
        if (stamp.Plain)
        {
            return FileStamp.Read(directory, file) == expected;
        }
        var (pathText, fileText) = (System.Text.Encoding.UTF8.GetString(path), System.Text.Encoding.UTF8.GetString(file));
        return RecordPaths.Problem(pathText) is null && RecordPaths.Problem(fileText) is null
            && FileStamp.Read(Path.Combine(config.OutputDirectory, fileText)) == expected;
    }
}
