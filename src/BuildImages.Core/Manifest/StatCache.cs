using System.Text.Json;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Machine-local speed-ups beside the manifest: hashes of input files and the write times of outputs, trusted
/// while a file's size and time are unchanged, and the native library versions with the stamp of their files.
/// Losing it costs only re-hashing; a corrupt one is ignored, and so is one whose check (<see cref="Primitives.CheckedJson"/>)
/// does not match: a damaged hash in it would otherwise be believed for a file whose size and time are unchanged.
/// </summary>
internal sealed class StatCache
{
    public int Version { get; set; } = 1;

    public NativeRecord? Native { get; set; }

    /// <summary>The configuration's hash and images.json's size and time when it was last written, so a no-op build skips it.</summary>
    public string? Metadata { get; set; }

    /// <summary>Input files by key path.</summary>
    public Dictionary<string, FileRecord> Files { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Output files (relative to the output folder) → write time when BuildImages last verified them, as stored.</summary>
    public Dictionary<string, long> Outputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The same, updated by worker threads during a build (made from <see cref="Outputs"/> on load).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public OutputTimeTable OutputTimes { get; private set; } = new();

    public static string PathFor(string manifestFile) => Path.ChangeExtension(manifestFile, ".cache.json");

    public static StatCache Load(string file)
    {
        try
        {
            if (Primitives.CheckedJson.Read(File.ReadAllBytes(file)) is not { } json)
            {
                return new StatCache();
            }
            var cache = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.StatCache);
            if (cache is not { Version: 1 })
            {
                return new StatCache();
            }
            // Only paths a build could have written or read are trusted: the cache may come from elsewhere (a CI cache).
            cache.OutputTimes = new(cache.Outputs.Where(o => RecordPaths.Problem(o.Key) is null));
            // The times live on in OutputTimes alone: a million-output site would otherwise hold them twice all build.
            cache.Outputs = new(StringComparer.Ordinal);
            cache.Files = cache.Files.Where(f => Planning.KeyPaths.IsCanonicalKey(f.Key) && f.Value is not null).ToDictionary(StringComparer.Ordinal);
            return cache;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return new StatCache();
        }
    }

    /// <summary>
    /// Writes the cache with <paramref name="outputs"/> (ordered by file) as its output times, a block at a time: the bytes
    /// <see cref="System.Text.Json.JsonSerializer"/> would make of it with those outputs, never all of them in memory.
    /// </summary>
    internal void Write(Stream destination, IEnumerable<KeyValuePair<string, long>> outputs)
    {
        var context = ManifestJsonContext.Default;
        Primitives.CheckedJson.Write(destination, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            if (Native is not null)
            {
                w.WritePropertyName("native");
                JsonSerializer.Serialize(w, Native, context.NativeRecord);
            }
            if (Metadata is not null)
            {
                w.WriteString("metadata", Metadata);
            }
            w.WriteStartObject("files");
            foreach (var (key, file) in Files)
            {
                w.WritePropertyName(key);
                JsonSerializer.Serialize(w, file, context.FileRecord);
            }
            w.WriteEndObject();
            w.WriteStartObject("outputs");
            foreach (var (file, ticks) in outputs)
            {
                w.WriteNumber(file, ticks);
                if (w.BytesPending > 1 << 16)
                {
                    w.Flush();
                }
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}

internal sealed record NativeRecord(string Stamp, string Versions);

internal sealed record FileRecord(long Size, long ModifiedTicks, string Sha256);
