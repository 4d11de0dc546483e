using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// The manifest's card records during one build, by <c>job:output</c>. A record set in this build is held as its
/// serialised JSON (about 1.5 KB, against 3–4 KB as an object graph the collector must keep walking), and read
/// back only when asked for, so a large build's memory grows by little more per item; records loaded from the
/// last manifest stay objects, which keeps the no-op path free of serialisation.
/// </summary>
internal sealed class RecordTable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal RecordTable(IEnumerable<KeyValuePair<string, ItemRecord>> loaded)
    {
        foreach (var (key, record) in loaded)
        {
            _entries[key] = new Entry(record, null, record.Inputs);
        }
    }

    private RecordTable(ConcurrentDictionary<string, Entry> entries) => _entries = entries;

    /// <summary>The records as they stand now, unaffected by later changes (the entries are immutable, so this copies references only).</summary>
    internal RecordTable Snapshot() => new(new ConcurrentDictionary<string, Entry>(_entries, StringComparer.Ordinal));

    internal bool TryGetValue(string key, [NotNullWhen(true)] out ItemRecord? record)
    {
        record = _entries.TryGetValue(key, out var entry) ? entry.Read() : null;
        return record is not null;
    }

    internal void Set(string key, ItemRecord record) =>
        _entries[key] = new Entry(null, JsonSerializer.SerializeToUtf8Bytes(RecordCheck.Sealed(record), ManifestJsonContext.Default.ItemRecord), record.Inputs);

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

    /// <summary>Every record, read one at a time (what is not kept is garbage at once), with its key.</summary>
    internal IEnumerable<(string Key, ItemRecord Record)> All()
    {
        foreach (var (key, entry) in _entries.ToArray())
        {
            yield return (key, entry.Read());
        }
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
        if (entry.Json is { } json)
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            JsonSerializer.Serialize(writer, entry.Record!, ManifestJsonContext.Default.ItemRecord);
        }
    }

    private sealed record Entry(ItemRecord? Record, byte[]? Json, string Inputs)
    {
        internal ItemRecord Read() => Record ?? JsonSerializer.Deserialize(Json, ManifestJsonContext.Default.ItemRecord)!;
    }
}
