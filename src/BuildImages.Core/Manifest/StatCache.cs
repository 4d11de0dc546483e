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

    /// <summary>
    /// Output files (relative to the output folder) → the write time BuildImages last verified them at, updated by
    /// worker threads during a build. Stored as the file's <c>outputs</c> object, after <c>outputCount</c> (how many it
    /// holds, so a reader sizes the table once).
    /// </summary>
    public OutputTimeTable OutputTimes { get; private init; } = new();

    public static string PathFor(string manifestFile) => Path.ChangeExtension(manifestFile, ".cache.json");

    /// <summary>
    /// The cache in <paramref name="file"/>, read a block at a time; an empty one when it is missing, damaged or not
    /// this version. Only output paths a build could have written and canonical input keys are kept: the file may
    /// come from elsewhere (a CI cache).
    /// </summary>
    /// <param name="file">The cache's file.</param>
    /// <param name="paths">The build's output paths, which the output times are ids in (a pool of the cache's own when none is given).</param>
    public static StatCache Load(string file, Primitives.PathPool? paths = null)
    {
        paths ??= new Primitives.PathPool();
        return Load(file, () => new OutputTimeTable(paths));
    }

    /// <summary>As <see cref="Load(string, Primitives.PathPool?)"/>, the output times in tables <paramref name="newTimes"/> makes (a build's files its times: <see cref="OutputTimeTable"/>).</summary>
    internal static StatCache Load(string file, Func<OutputTimeTable> newTimes)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            using var source = Primitives.CheckedJson.OpenRead(stream);
            if (source is null || Read(source, stream.Length, newTimes) is not { } cache || !source.Matches)
            {
                // Empty: paths a rejected file added to the pool stay there, timeless.
                return new() { OutputTimes = newTimes() };
            }
            cache.Files = cache.Files.Where(f => Planning.KeyPaths.IsCanonicalKey(f.Key) && f.Value is not null).ToDictionary(StringComparer.Ordinal);
            return cache;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            // Not readable, not JSON, or a name that is not text (a lone surrogate's escape, which the reader refuses to
            // make a string of): only a speed-up, so none of it is believed.
            return new() { OutputTimes = newTimes() };
        }
    }

    /// <summary>
    /// The members of a cache a token at a time, the output times straight into <see cref="OutputTimes"/> (never a
    /// dictionary of them first, nor the file's bytes whole: at a million items those were the planning peak's largest
    /// part); null when a member is not what this version writes. Reads to the source's end, so its check is known after.
    /// </summary>
    private static StatCache? Read(Stream source, long fileLength, Func<OutputTimeTable> newTimes)
    {
        var context = ManifestJsonContext.Default;
        var blocks = new Primitives.JsonBlocks(source);
        var reader = blocks.Start();
        if (!blocks.Read(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        var cache = new StatCache { OutputTimes = newTimes() };
        while (blocks.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("outputCount"u8))
            {
                if (!blocks.Read(ref reader) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var count) || count < 0)
                {
                    return null;
                }
                // A count is only a size hint, never more than the file could hold (a hostile one must not take the memory).
                cache.OutputTimes.Expect((int)Math.Min(count, fileLength / 8));
                continue;
            }
            if (reader.ValueTextEquals("outputs"u8))
            {
                if (!ReadOutputs(blocks, ref reader, cache.OutputTimes))
                {
                    return null;
                }
                continue;
            }
            // Each other member is read whole (which may move the block: its name is looked at first); one this version
            // does not know is skipped, as the serialiser would.
            var member = MemberOf(ref reader);
            blocks.Whole(ref reader);
            switch (member)
            {
                case Member.Version:
                    cache.Version = JsonSerializer.Deserialize(ref reader, context.Int32);
                    if (cache.Version != 1)
                    {
                        return null;
                    }
                    break;
                case Member.Native:
                    cache.Native = JsonSerializer.Deserialize(ref reader, context.NativeRecord);
                    break;
                case Member.Metadata:
                    cache.Metadata = JsonSerializer.Deserialize(ref reader, context.String);
                    break;
                case Member.Files:
                    cache.Files = JsonSerializer.Deserialize(ref reader, context.DictionaryStringFileRecord) ?? new(StringComparer.Ordinal);
                    break;
                default:
                    // Whole in the block, so this skips it (Skip refuses any block but the last).
                    reader.TrySkip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || blocks.Read(ref reader))
        {
            return null;
        }
        return cache;
    }

    /// <summary>The members read whole (the output times are read a token at a time).</summary>
    private enum Member
    {
        Unknown,
        Version,
        Native,
        Metadata,
        Files,
    }

    private static Member MemberOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("version"u8) ? Member.Version
        : reader.ValueTextEquals("native"u8) ? Member.Native
        : reader.ValueTextEquals("metadata"u8) ? Member.Metadata
        : reader.ValueTextEquals("files"u8) ? Member.Files
        : Member.Unknown;

    /// <summary>Reads the <c>outputs</c> object into <paramref name="times"/>, keeping only paths a build could have written.</summary>
    private static bool ReadOutputs(Primitives.JsonBlocks blocks, ref Utf8JsonReader reader, OutputTimeTable times)
    {
        if (!blocks.Read(ref reader))
        {
            return false;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (blocks.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var file = reader.GetString()!;
            if (!blocks.Read(ref reader) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var ticks))
            {
                return false;
            }
            if (RecordPaths.Problem(file) is null)
            {
                times.Set(file, ticks);
            }
        }
        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>
    /// Writes the cache with the files <paramref name="outputs"/> names (ids in <see cref="OutputTimes"/>' pool, ordered
    /// by path, each with a time) as its output times, a block at a time (never all of them in memory):
    /// <c>{"check":…,"version":1,"native":{…},"metadata":…,"files":{key:{…}},"outputCount":n,"outputs":{file:ticks}}</c>.
    /// </summary>
    internal void Write(Stream destination, IReadOnlyCollection<int> outputs)
    {
        var paths = OutputTimes.Paths;
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
            w.WriteNumber("outputCount", outputs.Count);
            w.WriteStartObject("outputs");
            var cursor = new Primitives.PathPool.Cursor();
            foreach (var id in outputs)
            {
                if (!OutputTimes.TryGetValue(id, out var ticks))
                {
                    throw new InvalidOperationException("an output listed for the stat cache has no time");
                }
                // The pool's bytes as the name (no string made), unless they are not UTF-8 (a lone surrogate, which the
                // writer refuses from bytes): then the string, for the writer's own answer to it.
                var name = paths.Utf8(id, cursor);
                if (System.Text.Unicode.Utf8.IsValid(name))
                {
                    w.WriteNumber(name, ticks);
                }
                else
                {
                    w.WriteNumber(paths.PathOf(id), ticks);
                }
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

internal sealed record FileRecord(long Size, long ModifiedTicks, string Sha256)
{
    // A Markdown folder makes every post a data file, and a build holds a record of each from before planning to its
    // end: the hash as its 32 bytes, not 64 digits (about 110 bytes less a post).
    private readonly Primitives.CompactKey _sha256 = Primitives.CompactKey.From(Sha256);

    /// <summary>The content's SHA-256 as lower-case hex (made anew on each read: compare records with <see cref="SameContent"/>).</summary>
    public string Sha256
    {
        get => _sha256.Text!;
        init => _sha256 = Primitives.CompactKey.From(value);
    }

    /// <summary>Whether both records hash the same content (no hex made).</summary>
    public bool SameContent(FileRecord other) => _sha256 == other._sha256;
}

