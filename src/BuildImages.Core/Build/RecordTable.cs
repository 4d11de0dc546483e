using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// The manifest's card records during one build, by <c>job:output</c>. Every record, read from the last manifest or set
/// in this build, is kept as its serialised JSON (about 2 KB, against 4–6 KB as an object graph the collector must keep
/// walking), in memory up to a budget and then in a scratch file (<see cref="RecordSpill"/>), and read back only when
/// asked for, so a large build's memory grows by a few dozen bytes per record.
/// </summary>
internal sealed class RecordTable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly RecordSpill _spill;

    // Shared with snapshots, guarded by itself: only ever grows, so a snapshot's answer is a superset of its own.
    private readonly Primitives.OutputFolderSet _folders;

    /// <param name="spill">Where the records are kept (the session owns and disposes it).</param>
    internal RecordTable(RecordSpill spill)
    {
        _spill = spill;
        _folders = new();
    }

    private RecordTable(ConcurrentDictionary<string, Entry> entries, RecordSpill spill, Primitives.OutputFolderSet folders)
    {
        _entries = entries;
        _spill = spill;
        _folders = folders;
    }

    /// <summary>The records as they stand now, unaffected by later changes (the entries and what they store never change, so this copies references only).</summary>
    internal RecordTable Snapshot() => new(new ConcurrentDictionary<string, Entry>(_entries, StringComparer.Ordinal), _spill, _folders);

    /// <summary>
    /// Every folder the files of a record read or set this build are in, and perhaps folders of records removed since
    /// (what it serves, the stale-temp sweep, may look at a folder too many, never one too few). Gathered as the records
    /// come, so no pass over every record is needed for it: at a million records that pass read a million outlines.
    /// </summary>
    internal IReadOnlyList<string> OutputFolders()
    {
        lock (_folders)
        {
            return [.. _folders.Folders];
        }
    }

    internal bool TryGetValue(string key, [NotNullWhen(true)] out ItemRecord? record)
    {
        record = _entries.TryGetValue(key, out var entry) ? Read(entry) : null;
        return record is not null;
    }

    internal void Set(string key, ItemRecord record)
    {
        NoteFolders(record);
        Keep(key, RecordCheck.SealedJson(record), record.Inputs);
    }

    /// <summary>
    /// Keeps a record read from the last manifest, serialised with its check as the reader made it (null: the key's
    /// record was damaged, and is dropped).
    /// </summary>
    internal void Load(string key, ItemRecord? record, byte[]? sealedJson)
    {
        if (record is null || sealedJson is null)
        {
            _entries.TryRemove(key, out _);
            return;
        }
        NoteFolders(record);
        Keep(key, sealedJson, record.Inputs);
    }

    /// <summary>Drops every record (a manifest ignored after some of its records were read).</summary>
    internal void Clear()
    {
        _entries.Clear();
        lock (_folders)
        {
            _folders.Clear();
        }
    }

    private void NoteFolders(ItemRecord record)
    {
        lock (_folders)
        {
            foreach (var variant in record.Variants)
            {
                _folders.AddFolderOf(variant.File);
            }
        }
    }

    private void Keep(string key, byte[] sealedJson, string inputs) =>
        _entries[key] = new Entry(_spill.Keep(sealedJson), Primitives.SharedStrings.Get(inputs));

    internal bool Remove(string key) => _entries.TryRemove(key, out _);

    /// <summary>The keys as they stand, in ordinal order (the manifest's and images.json's order).</summary>
    internal string[] SortedKeys()
    {
        var keys = _entries.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Input-set ids the records name, without reading the records.</summary>
    internal HashSet<string> InputIds() => _entries.Values.Select(e => e.Inputs).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every record, read one at a time (what is not kept is garbage at once), with its key; in no set order (records
    /// in the scratch file come in the order they were stored, which reads it from start to end).
    /// </summary>
    internal IEnumerable<(string Key, ItemRecord Record)> All()
    {
        foreach (var (key, entry) in InStoredOrder())
        {
            yield return (key, Read(entry));
        }
    }

    /// <summary>As <see cref="All"/>, each record's outline only (what a pass over every record reads).</summary>
    internal IEnumerable<(string Key, RecordOutline Outline)> Outlines()
    {
        foreach (var (key, entry) in InStoredOrder())
        {
            yield return (key, ItemRecordReader.ReadOutline(_spill.Read(entry.Stored)));
        }
    }

    private KeyValuePair<string, Entry>[] InStoredOrder()
    {
        var entries = _entries.ToArray();
        // Records held in memory have no place in the file (0): their order among the rest does not matter.
        Array.Sort(entries, static (a, b) => a.Value.Stored.Offset.CompareTo(b.Value.Stored.Offset));
        return entries;
    }

    /// <summary>One job's records ordered by output path (its keys are <c>job:output</c>), read one at a time; other jobs' records are not read.</summary>
    internal IEnumerable<ItemRecord> OfJob(string job)
    {
        var prefix = job + ":";
        foreach (var key in SortedKeys())
        {
            // A job name may itself hold ':', so the prefix only narrows; the record says whose it is.
            if (key.StartsWith(prefix, StringComparison.Ordinal) && TryGetValue(key, out var record) && record.Job == job)
            {
                yield return record;
            }
        }
    }

    /// <summary>Writes one record as a JSON property (a record held serialised is copied as it is); nothing if the key is gone.</summary>
    internal void WriteProperty(Utf8JsonWriter writer, string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return;
        }
        writer.WritePropertyName(key);
        writer.WriteRawValue(_spill.Read(entry.Stored), skipInputValidation: true);
    }

    private ItemRecord Read(Entry entry) => ItemRecordReader.Read(_spill.Read(entry.Stored));

    /// <summary>A record, stored serialised, and the input set it names (read without the record).</summary>
    private sealed record Entry(RecordSpill.Stored Stored, string Inputs);
}
