using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Reads and atomically writes the manifest. An unreadable manifest is a warning and an empty manifest. A manifest file
/// named <c>.db</c>, <c>.sqlite</c> or <c>.sqlite3</c> is a database (<see cref="ManifestDatabase"/>), saved a changed
/// row at a time; any other is the JSON document, saved whole.
/// </summary>
public sealed class ManifestStore(string path)
{
    public string Path => path;

    /// <summary>Whether this manifest is a database, whose saves write only the records that changed.</summary>
    internal bool IsDatabase { get; } = ManifestDatabase.IsDatabase(path);

    /// <summary>
    /// The JSON document a database manifest is read from while it does not exist yet: the one of the same name,
    /// <c>.json</c>, which a site switching to a database had (imported once; the first save removes it). Null when
    /// there is none to import.
    /// </summary>
    internal string? ImportSource =>
        IsDatabase && !File.Exists(path) && System.IO.Path.ChangeExtension(path, ".json") is var json && File.Exists(json) ? json : null;

    /// <summary>
    /// The manifest as stored, less the records that name a path the build must not act on (each dropped with a
    /// warning naming it; their outputs are then rendered again as new). Every record is an object at once: a build
    /// reads the file with <see cref="Stream"/> instead.
    /// </summary>
    public (ManifestDocument Document, IReadOnlyList<Diagnostic> Warnings) Load()
    {
        // The same reading and checks as a build's, with the records kept.
        var cards = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        var (inputs, warnings) = Stream((key, record) =>
        {
            if (record is null)
            {
                cards.Remove(key);
                return;
            }
            cards[key] = record;
        });
        return (inputs is null ? new ManifestDocument() : new ManifestDocument { Inputs = inputs, Cards = cards }, warnings);
    }

    /// <summary>
    /// Reads the manifest a record at a time, for a build: each record that passes its checks is handed to
    /// <paramref name="keep"/> as soon as it is read, and a damaged one as null (its key is dropped, with a warning), so
    /// the records are never all objects at once (read whole, a 100,000-item manifest is about 600 MB of them). Returns
    /// the input sets, or null when the whole manifest is ignored (what <paramref name="keep"/> kept must then be
    /// dropped), and the warnings (records' in key order).
    /// </summary>
    internal (Dictionary<string, InputSet>? Inputs, IReadOnlyList<Diagnostic> Warnings) Stream(Action<string, ItemRecord?> keep) =>
        StreamSealed((key, record, _) => keep(key, record));

    /// <summary>
    /// As <see cref="Stream"/>, each record also handed on serialised with its check
    /// (<see cref="RecordCheck.SealedJson"/>): checking a record serialises it, and a build keeps records serialised.
    /// </summary>
    internal (Dictionary<string, InputSet>? Inputs, IReadOnlyList<Diagnostic> Warnings) StreamSealed(Action<string, ItemRecord?, byte[]?> keep)
    {
        if (ImportSource is { } imported)
        {
            return new ManifestStore(imported).StreamSealed(keep);
        }
        if (!File.Exists(path))
        {
            return (new Dictionary<string, InputSet>(StringComparer.Ordinal), []);
        }
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        void Take(string key, CheckedRecord record)
        {
            // A key given twice: the last record stands, as when the file is read whole.
            if (record.SealedJson is null)
            {
                problems[key] = record.Problem!;
                keep(key, null, null);
                return;
            }
            problems.Remove(key);
            keep(key, record.Record, record.SealedJson);
        }
        try
        {
            if (IsDatabase)
            {
                return Finish(ReadDatabase(Take), problems);
            }
            using var stream = File.OpenRead(path);
            // The file as BuildImages writes it, each record's own bytes kept when its check holds for them, the records
            // checked on every core and taken in the file's order; any other file is read again by the serializer (a
            // record it hands on again replaces the one handed on before).
            var header = ReadCanonical(stream, Take);
            if (header is null)
            {
                problems.Clear();
                stream.Position = 0;
                var document = JsonSerializer.Deserialize(stream, StreamedManifest.TypeInfo(new ManifestRecordSink((key, record) => Take(key, Check(key, record, null)))));
                header = (document?.Format, document?.Version, document?.Inputs!);
            }
            return Finish(header.Value, problems);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException or ArgumentException or Microsoft.Data.Sqlite.SqliteException)
        {
            return (null, [Unreadable(ex)]);
        }
    }

    /// <summary>The input sets and warnings of a manifest read (its records already handed on), or null and why it is not used.</summary>
    private (Dictionary<string, InputSet>? Inputs, IReadOnlyList<Diagnostic> Warnings) Finish((string? Format, int? Version, Dictionary<string, InputSet> Inputs) header, Dictionary<string, string> problems)
    {
        if (Unusable(header.Format, header.Version) is { } why)
        {
            return (null, [Warn(why)]);
        }
        var inputs = header.Inputs;
        var warnings = DropUnsafeInputs(inputs);
        warnings.AddRange(problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => RecordIgnored(p.Key, p.Value)));
        return (inputs, warnings);
    }

    /// <summary>
    /// Reads the database, each row checked on the pool and handed to <paramref name="take"/> in the rows' order, under
    /// its record's own key when the row is filed under it (a row's key is text, which cannot hold a lone surrogate:
    /// <see cref="ManifestDatabase.RowKey"/>). A row whose bytes are not a record is a damaged record, not a damaged file.
    /// </summary>
    private (string? Format, int? Version, Dictionary<string, InputSet> Inputs) ReadDatabase(Action<string, CheckedRecord> take)
    {
        using var checks = new OrderedRecordChecks<(string Key, CheckedRecord Record)>(static (rowKey, bytes) =>
        {
            ItemRecord? record;
            try
            {
                record = ItemRecordReader.Read(bytes);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
            {
                return (rowKey, new CheckedRecord(null, null, "it is not a record (damaged)"));
            }
            // Compared as text first: a key is re-encoded only when it differs (a lone surrogate, or another record's key).
            var key = record is not null && $"{record.Job}:{record.Output}" is var own && (own == rowKey || ManifestDatabase.RowKey(own) == rowKey) ? own : rowKey;
            return (key, Check(key, record, RecordCheck.SealedAsWritten(bytes)));
        }, (_, row) => take(row.Key, row.Record));
        var header = ManifestDatabase.Read(path, (key, bytes) => checks.Add(key, bytes));
        checks.Finish();
        return header;
    }

    /// <summary>
    /// Reads a file in the form BuildImages writes (<see cref="ManifestFileReader"/>), each record checked on the pool and
    /// handed to <paramref name="take"/> in the file's order; null when the file is not in that form, or a record in it
    /// could not be read (the caller reads the file again with the serializer, which says what is wrong).
    /// </summary>
    private static (string? Format, int? Version, Dictionary<string, InputSet> Inputs)? ReadCanonical(Stream stream, Action<string, CheckedRecord> take)
    {
        using var checks = new OrderedRecordChecks<CheckedRecord>(static (key, bytes) => Check(key, ItemRecordReader.Read(bytes), RecordCheck.SealedAsWritten(bytes)), take);
        var header = ManifestFileReader.Read(stream, (key, bytes) => checks.Add(key, bytes.Span));
        if (header is null)
        {
            return null;
        }
        try
        {
            checks.Finish();
            return header;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // As when the reader itself meets it: the serializer reads the file and says what is wrong.
            return null;
        }
    }

    /// <summary>A record as read, checked: the record and its sealed bytes, or why it cannot be trusted.</summary>
    private readonly record struct CheckedRecord(ItemRecord? Record, byte[]? SealedJson, string? Problem);

    /// <summary>What the record filed under <paramref name="key"/> is found to be (<paramref name="asWritten"/>: its bytes as the file holds them, when their check holds). Only reads: it runs on the pool.</summary>
    private static CheckedRecord Check(string key, ItemRecord? record, byte[]? asWritten)
    {
        var problem = RecordProblem(key, record);
        var sealedJson = problem is null ? asWritten ?? RecordCheck.SealedJsonIfHolds(record!) : null;
        return sealedJson is null
            ? new CheckedRecord(null, null, problem ?? "its values are not the ones its check was made from (damaged)")
            : new CheckedRecord(record, sealedJson, null);
    }

    /// <summary>Why a file of this format and version is not a manifest this BuildImages reads; null when it is.</summary>
    private static string? Unusable(string? format, int? version) =>
        format != ManifestDocument.FormatName ? "it is not a BuildImages manifest"
        : version != ManifestDocument.CurrentVersion ? $"it has format version {version}; this BuildImages reads version {ManifestDocument.CurrentVersion}"
        : null;

    private Diagnostic Unreadable(Exception ex) => Warn("it could not be read (" + ex.Message.Split(Environment.NewLine)[0] + ")");

    private List<Diagnostic> DropUnsafeInputs(Dictionary<string, InputSet> inputs)
    {
        var warnings = new List<Diagnostic>();
        foreach (var (id, set) in inputs.ToList())
        {
            // An input set's id is its hash: one that does not match was damaged, and its records render again as incomplete.
            if (id.Length != 16 || set is null || set.Templates is null || set.Fonts is null || set.Assets is null || set.Engine is null || !set.Hash().StartsWith(id, StringComparison.Ordinal))
            {
                inputs.Remove(id);
                warnings.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest input set '{id}' ignored, the outputs made from it will be rendered again: its files are not the ones its id was made from", path));
            }
        }
        return warnings;
    }

    /// <summary>Why the record filed under <paramref name="key"/> cannot be trusted, short of its check (which the caller makes); null when it can.</summary>
    private static string? RecordProblem(string key, ItemRecord? record) =>
        record is null ? "it is empty"
        : RecordPaths.Problem(record)
          // A record is filed under job:output; one filed under another name was damaged, and would be pruned as stale.
          ?? (key == $"{record.Job}:{record.Output}" ? null : "it is not filed under its own job and output");

    private Diagnostic RecordIgnored(string key, string problem) =>
        new(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest record '{key}' ignored, its outputs will be rendered again: {problem}", path);

    /// <summary>
    /// Saves a database manifest: <paramref name="records"/> (key and sealed JSON; null: removed) are every record, in a
    /// new database renamed over the file (<paramref name="whole"/>), or the records changed since the database was
    /// read or last saved, written in one transaction. Throws <see cref="IOException"/> when it cannot.
    /// </summary>
    internal void SaveRecords(IReadOnlyDictionary<string, InputSet> inputs, IEnumerable<(string Key, byte[]? SealedJson)> records, bool whole)
    {
        if (whole)
        {
            ManifestDatabase.WriteWhole(path, inputs, records);
        }
        else
        {
            ManifestDatabase.WriteChanges(path, inputs, records);
        }
    }

    /// <summary>
    /// Streams the manifest into a temp file and renames it, a card at a time: <paramref name="writeCards"/> writes the
    /// property (name and value) of each card record, in key order, flushing as it goes. (The serializer's one-call form
    /// buffers the whole document, ~15 MB at 10,000 items, and checkpoints save every few seconds.)
    /// A database manifest is saved by its records instead (<see cref="SaveRecords"/>).
    /// </summary>
    public void Save(IReadOnlyDictionary<string, InputSet> inputs, Action<Utf8JsonWriter> writeCards)
    {
        if (IsDatabase)
        {
            throw new InvalidOperationException("a database manifest is saved by its records (SaveRecords), not as a document");
        }
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            var context = ManifestJsonContext.Default;
            w.WriteStartObject();
            w.WriteString("format", ManifestDocument.FormatName);
            w.WriteNumber("version", ManifestDocument.CurrentVersion);
            w.WritePropertyName("inputs");
            JsonSerializer.Serialize(w, inputs as Dictionary<string, InputSet> ?? inputs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), context.DictionaryStringInputSet);
            w.WriteStartObject("cards");
            writeCards(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private Diagnostic Warn(string why) =>
        new(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest ignored, every output will be rendered: {why}", path);
}
