using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// The manifest of one build, open: the only owner of its records and input sets, of the machine-local stat cache, of
/// whether anything changed, of the journal of outputs written but not yet named by a saved manifest, and of the batch
/// of writes not yet flushed. Records change only through <see cref="Set(ItemRecord)"/> and <see cref="Remove"/>; <see cref="Save()"/>
/// flushes what the records name before it writes them. Disposing it drops the records set and not saved.
/// </summary>
internal sealed class ManifestSession : IDisposable
{
    private readonly ManifestStore _store;
    private readonly ConcurrentDictionary<string, InputSet> _inputSets;
    private readonly RecordSpill _spill;
    private int _dirty;
    // A database manifest whose rows are the records as read: a save writes the rows that changed. Otherwise (a new
    // database, one that could not be used, one imported from a JSON document) the first save writes it whole. Guarded
    // by _saveLock.
    private bool _rowsAsRead;
    // The JSON document a database was imported from; removed once the database is saved.
    private string? _importedFrom;
    // One save at a time: a database's changes are taken, written and given back on failure as one step.
    private readonly Lock _saveLock = new();

    private ManifestSession(ManifestStore store, Dictionary<string, InputSet> inputs, RecordTable records, RecordSpill spill, StatCache stats, OutputJournal journal)
    {
        _store = store;
        _inputSets = new(inputs, StringComparer.Ordinal);
        _spill = spill;
        Records = records;
        Stats = stats;
        Journal = journal;
    }

    /// <summary>
    /// Opens the manifest for a build: its records are read one at a time and kept serialised as they are read
    /// (<see cref="RecordSpill"/>), never all as objects. A manifest that cannot be used opens empty, with its warning;
    /// a damaged record or input set is left out, with its own.
    /// </summary>
    /// <param name="store">Where the manifest is read from and saved to.</param>
    /// <param name="stats">The machine-local stat cache as loaded.</param>
    /// <param name="journal">The pending-outputs journal.</param>
    /// <param name="budget">The bytes of serialised records held in memory before the rest go to a scratch file (see <see cref="RecordSpill"/>); the build's, shared by its stores (null: a budget of its own).</param>
    internal static (ManifestSession Session, IReadOnlyList<Diagnostic> Warnings) Open(ManifestStore store, StatCache stats, OutputJournal journal, Primitives.ScratchBudget? budget = null)
    {
        var spill = new RecordSpill(store.Path, budget ?? new Primitives.ScratchBudget(RecordSpill.DefaultMemoryBudget));
        try
        {
            var records = new RecordTable(spill);
            var importedFrom = store.ImportSource;
            var exists = File.Exists(store.Path);
            var (inputs, warnings) = store.StreamSealed(records.Load);
            if (inputs is null)
            {
                // Ignored whole (another format, or unreadable part-way): nothing read before the problem counts.
                records.Clear();
            }
            var session = new ManifestSession(store, inputs ?? new Dictionary<string, InputSet>(StringComparer.Ordinal), records, spill, stats, journal)
            {
                _rowsAsRead = store.IsDatabase && exists && importedFrom is null && inputs is not null,
                _importedFrom = inputs is null ? null : importedFrom,
            };
            if (store.IsDatabase && !session._rowsAsRead && (exists || importedFrom is not null))
            {
                // Saved whole at the end even if nothing else changes: a file that could not be used is replaced, a
                // document imported becomes the database.
                session.MarkDirty();
            }
            return (session, warnings);
        }
        catch
        {
            spill.Dispose();
            throw;
        }
    }

    /// <summary>The records as they stand (read them here; change them with <see cref="Set(ItemRecord)"/> and <see cref="Remove"/>).</summary>
    internal RecordTable Records { get; }

    /// <summary>Machine-local file times and hashes (not part of the manifest).</summary>
    internal StatCache Stats { get; }

    /// <summary>Outputs written and not yet named by a saved manifest (what a killed build leaves for the next to sweep).</summary>
    internal OutputJournal Journal { get; }

    /// <summary>Outputs written but not yet flushed; committed before every manifest save that names them.</summary>
    internal DurableBatch Durable { get; } = new();

    internal string ManifestFile => _store.Path;

    internal bool Dirty => Volatile.Read(ref _dirty) != 0;

    /// <summary>Something the manifest does not show yet changed (a warning about it, a record): it must be saved.</summary>
    internal void MarkDirty() => Volatile.Write(ref _dirty, 1);

    internal void Set(ItemRecord record)
    {
        Records.Set($"{record.Job}:{record.Output}", record);
        MarkDirty();
    }

    /// <summary>
    /// Sets the record of <paramref name="planned"/> under the plan's own key string: the table keeps the first key it is
    /// given, and a key made from the record would be a second string per item for the rest of the build.
    /// </summary>
    internal void Set(Planning.PlannedItem planned, ItemRecord record)
    {
        System.Diagnostics.Debug.Assert(planned.RecordKey == $"{record.Job}:{record.Output}", "a record goes under its own item's key");
        Records.Set(planned.RecordKey, record);
        MarkDirty();
    }

    internal void Remove(string key)
    {
        Records.Remove(key);
        MarkDirty();
    }

    /// <summary>Adds an input set under its id (the first 16 hex digits of its hash); equal sets share one id.</summary>
    internal void AddInputSet(string id, InputSet set) => _inputSets.TryAdd(id, set);

    internal bool TryGetInputSet(string id, [NotNullWhen(true)] out InputSet? set) => _inputSets.TryGetValue(id, out set);

    /// <summary>Every output file the records name, in order.</summary>
    internal IReadOnlyList<string> RecordedFiles() =>
        [.. Records.Outlines().SelectMany(r => r.Outline.Variants.Select(v => v.File)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The keys of every file the recorded outputs were made from: their input sets' files and their data sources.</summary>
    internal IEnumerable<string> InputKeys() =>
        Records.InputIds().SelectMany(id => _inputSets.TryGetValue(id, out var set) ? set.Files : [])
            .Concat(Records.Outlines().Select(r => r.Outline.Source))
            .Distinct(StringComparer.Ordinal);

    /// <summary>Outputs a killed build wrote and never recorded are removed before this build plans anything against the folder.</summary>
    internal void SweepInterrupted(string outputDirectory, BuildLog log)
    {
        try
        {
            var (removed, warnings) = Journal.Sweep(outputDirectory, key => Records.TryGetValue(key, out var r) ? r : null);
            warnings.ForEach(log.Report);
            foreach (var file in removed)
            {
                log.Observer.Message($"removed {file}, which an interrupted build wrote and never recorded");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WriteFailed, $"the pending-outputs journal could not be read or removed: {ex.Message}", Journal.File));
        }
    }

    /// <summary>Saves the manifest as it stands: every record and the input sets they name, in key order (a checkpoint, while workers set records).</summary>
    internal void Save()
    {
        lock (_saveLock)
        {
            // Before the snapshot: the journal's lines after this mark are of outputs the snapshot may not hold; and
            // the changes taken before it, so it holds every change taken.
            var mark = Journal.Mark();
            var changes = Records.TakeChanges();
            Save(Records.Snapshot(), changes, mark);
        }
    }

    /// <summary>
    /// As <see cref="Save()"/>, once nothing sets or removes records any more (the build's end): the table itself is
    /// written, not a snapshot of it, which at a million records is a copy of about 60 MB made when the build's memory
    /// peaks (the finish gathers the up-to-date record beside the save).
    /// </summary>
    internal void SaveSettled()
    {
        lock (_saveLock)
        {
            Save(Records, Records.TakeChanges(), long.MaxValue);
        }
    }

    private void Save(RecordTable records, ulong[] changes, long journalMark)
    {
        // Records first, then flush: every output a record of the snapshot names was written before the record was
        // set, so the commit covers it, and the manifest names only files that are on disk for good.
        Durable.Commit();
        var used = records.InputIds();
        var inputs = _inputSets.Where(s => used.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        if (!_store.IsDatabase)
        {
            _store.Save(inputs, records.WriteProperties);
        }
        else
        {
            try
            {
                _store.SaveRecords(inputs, _rowsAsRead ? records.Changed(changes) : records.Serialised(), whole: !_rowsAsRead);
            }
            catch
            {
                Records.ReturnChanges(changes);
                throw;
            }
            _rowsAsRead = true;
            if (_importedFrom is { } document)
            {
                // The database holds what the document did: the document, ours and now stale, goes.
                _importedFrom = null;
                File.Delete(document);
            }
        }
        Journal.Saved(journalMark, key => records.TryGetValue(key, out var r) ? r : null);
    }

    /// <summary>Keeps the stat cache to the files the manifest still names (with what <paramref name="hashes"/> learnt); writes it only if it changed.</summary>
    internal void SaveStats(FileHashCache hashes, string file) => SaveStats(hashes, file, RecordedOutputTimes());

    /// <summary>As <see cref="SaveStats(FileHashCache, string)"/>, with the output times <see cref="RecordedOutputTimes"/> gathered before.</summary>
    internal void SaveStats(FileHashCache hashes, string file, IReadOnlyCollection<int> outputTimes)
    {
        var inputs = Records.InputIds().SelectMany(id => _inputSets.TryGetValue(id, out var set) ? set.Files : []).ToHashSet(StringComparer.Ordinal);
        Stats.Files = Stats.Files.Concat(hashes.Snapshot()).GroupBy(f => f.Key, StringComparer.Ordinal).Where(g => inputs.Contains(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        AtomicFile.WriteIfChanged(file, stream => Stats.Write(stream, outputTimes));
    }

    /// <summary>
    /// Every file the records name that has a write time, each once, in path order: what the stat cache holds of outputs,
    /// as ids in the output-time table's pool (a bit each; at a million items a list of names and times was 64 MB of
    /// the finish, and a list of ids 16). It only reads (the records and the time table), so a finish gathers it beside
    /// writing the manifest.
    /// </summary>
    internal OrderedPathSet RecordedOutputTimes()
    {
        var times = Stats.OutputTimes;
        var outputs = new OrderedPathSet(times.Paths);
        foreach (var (_, record) in Records.Outlines())
        {
            foreach (var variant in record.Variants)
            {
                // Two records never name one file, but a damaged manifest might: the file's one time is kept once.
                var id = times.Paths.Find(variant.File);
                if (times.TryGetValue(id, out _) && outputs.CanHold(id))
                {
                    outputs.Add(id);
                }
            }
        }
        return outputs;
    }

    public void Dispose() => _spill.Dispose();
}
