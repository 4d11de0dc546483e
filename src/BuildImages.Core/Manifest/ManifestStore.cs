using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>Reads and atomically writes the manifest. An unreadable manifest is a warning and an empty manifest.</summary>
public sealed class ManifestStore(string path)
{
    public string Path => path;

    /// <summary>
    /// The manifest as stored, less the records that name a path the build must not act on (each dropped with a
    /// warning naming it; their outputs are then rendered again as new).
    /// </summary>
    public (ManifestDocument Document, IReadOnlyList<Diagnostic> Warnings) Load()
    {
        if (!File.Exists(path))
        {
            return (new ManifestDocument(), []);
        }
        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonSerializer.Deserialize(stream, ManifestJsonContext.Default.ManifestDocument);
            if (document is null || document.Format != ManifestDocument.FormatName)
            {
                return (new ManifestDocument(), [Warn("it is not a BuildImages manifest")]);
            }
            if (document.Version != ManifestDocument.CurrentVersion)
            {
                return (new ManifestDocument(), [Warn($"it has format version {document.Version}; this BuildImages reads version {ManifestDocument.CurrentVersion}")]);
            }
            // Dictionaries come back with the default comparer; keys are compared ordinally anyway.
            return (document, DropUnsafe(document));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return (new ManifestDocument(), [Warn("it could not be read (" + ex.Message.Split(Environment.NewLine)[0] + ")")]);
        }
    }

    private List<Diagnostic> DropUnsafe(ManifestDocument document)
    {
        var warnings = new List<Diagnostic>();
        foreach (var (id, set) in document.Inputs.ToList())
        {
            // An input set's id is its hash: one that does not match was damaged, and its records render again as incomplete.
            if (id.Length != 16 || set is null || set.Templates is null || set.Fonts is null || set.Assets is null || set.Engine is null || !set.Hash().StartsWith(id, StringComparison.Ordinal))
            {
                document.Inputs.Remove(id);
                warnings.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest input set '{id}' ignored, the outputs made from it will be rendered again: its files are not the ones its id was made from", path));
            }
        }
        // Checked in parallel (a check serialises and hashes its record: about 4 µs each), dropped in key order.
        var problems = document.Cards.AsParallel()
            .Select(p => (p.Key, Problem: p.Value is null ? "it is empty"
                : RecordPaths.Problem(p.Value)
                  // A record is filed under job:output; one filed under another name was damaged, and would be pruned as stale.
                  ?? (p.Key == $"{p.Value.Job}:{p.Value.Output}" ? null : "it is not filed under its own job and output")
                  ?? (RecordCheck.Holds(p.Value) ? null : "its values are not the ones its check was made from (damaged)")))
            .Where(p => p.Problem is not null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var (key, problem) in problems)
        {
            document.Cards.Remove(key);
            warnings.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest record '{key}' ignored, its outputs will be rendered again: {problem}", path));
        }
        return warnings;
    }

    /// <summary>
    /// Streams the manifest into a temp file and renames it, a card at a time: <paramref name="writeCard"/> writes the
    /// property (name and value) of each key in <paramref name="cardKeys"/>, or nothing for a key that is gone. (The serializer's one-call form buffers the whole document,
    /// ~15 MB at 10,000 items, and checkpoints save every few seconds.)
    /// </summary>
    public void Save(IReadOnlyDictionary<string, InputSet> inputs, IReadOnlyList<string> cardKeys, Action<Utf8JsonWriter, string> writeCard) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream);
        var context = ManifestJsonContext.Default;
        w.WriteStartObject();
        w.WriteString("format", ManifestDocument.FormatName);
        w.WriteNumber("version", ManifestDocument.CurrentVersion);
        w.WritePropertyName("inputs");
        JsonSerializer.Serialize(w, inputs as Dictionary<string, InputSet> ?? inputs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), context.DictionaryStringInputSet);
        w.WriteStartObject("cards");
        foreach (var key in cardKeys)
        {
            writeCard(w, key);
            if (w.BytesPending > 1 << 16)
            {
                w.Flush();
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private Diagnostic Warn(string why) =>
        new(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest ignored, every output will be rendered: {why}", path);
}
