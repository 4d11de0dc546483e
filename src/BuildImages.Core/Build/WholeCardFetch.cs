using System.Text.Json;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// A card taken from the remote cache whole, before its template is evaluated: the build that laid it out stored a
/// card entry under the card's pre-claim: its input set (engine, template, font and image files with their hashes)
/// and each output's digest, length, quality and size by variant. When the engine is this one and every file hashes
/// the same here, evaluation and layout would read the same files and give the same markup, so the output keys are
/// computed from the set, as the manifest's own check does, and each output's bytes are fetched by the entry's digest
/// and verified (one request per output; an output the entry lacks is fetched through its own mapping). Anything
/// missing or different: the card takes the ordinary path. This is what makes assembling a sharded site cost a fetch
/// per output instead of a layout per card.
/// </summary>
internal sealed class WholeCardFetch(WorkerContext context)
{
    /// <summary>More files than any card reads (templates, includes, fonts, images): an entry naming more is not ours.</summary>
    private const int MaxFiles = 4096;

    /// <summary>Whether every output <paramref name="work"/> needs was fetched, written and recorded.</summary>
    internal bool TryFetch(PlannedCard card, OutputWork work, ItemRecord? old, string preClaim, Func<PlannedVariant, RenderReason, string, Caching.CachedOutput, HashSet<string>, VariantRecord> write)
    {
        if (context.Cache is not { } cache || cache.TryFetchItem(Caching.OutputCache.ItemKey(preClaim)) is not { } entry || Read(entry) is not var (set, listed) || !Current(set))
        {
            return false;
        }
        var setHash = set.Hash();
        var keyBase = ContentHash.OfParts(card.PreKey, setHash);
        var fetched = new List<(PlannedVariant Variant, RenderReason Reason, string Key, Caching.CachedOutput Output)>();
        foreach (var (variant, reason) in work.NeededOf(card).OrderBy(n => n.Key.Path, StringComparer.Ordinal))
        {
            var key = ContentHash.OfParts(keyBase, variant.Signature);
            // By the digest the entry lists; else (not listed, or not those bytes) through the output's own mapping.
            var listedOutput = listed.TryGetValue(variant.Signature, out var o) ? cache.PeekContent(o.Sha256, o.Bytes, o.Quality, o.Width, o.Height) : null;
            if ((listedOutput ?? cache.Peek(key)) is not { } output)
            {
                return false;
            }
            fetched.Add((variant, reason, key, output));
        }
        // Written only once all are here: a card is fetched whole or goes the ordinary way, never half of each.
        var read = set.Files.Select(f => Path.GetFullPath(context.Paths.ToFull(f))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        context.Manifest.AddInputSet(setHash[..16], set);
        var written = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
        foreach (var (variant, reason, key, output) in fetched)
        {
            written[variant.Path] = write(variant, reason, key, output, read);
        }
        cache.CountHits(fetched.Count);
        context.Manifest.Set(card, RecordMaker.Item(card, old, work.NeededOf(card), written, setHash[..16], context.Paths));
        return true;
    }

    /// <summary>Stores the set a card was laid out with and what its outputs came to, so the next build elsewhere can take it whole.</summary>
    internal void Store(string preClaim, InputSet set, IEnumerable<(string Signature, VariantRecord Written)> outputs)
    {
        if (context.Cache is not { } cache)
        {
            return;
        }
        using var memory = new MemoryStream();
        using (var w = new Utf8JsonWriter(memory))
        {
            w.WriteStartObject();
            w.WritePropertyName("set");
            JsonSerializer.Serialize(w, set, ManifestJsonContext.Default.InputSet);
            w.WriteStartObject("outputs");
            foreach (var (signature, written) in outputs)
            {
                w.WriteStartObject(signature);
                w.WriteString("sha256", written.Sha256);
                w.WriteNumber("bytes", written.Bytes);
                w.WriteNumber("quality", written.Quality);
                w.WriteNumber("width", written.Width);
                w.WriteNumber("height", written.Height);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        cache.StoreItem(Caching.OutputCache.ItemKey(preClaim), memory.ToArray());
    }

    /// <summary>The engine is this build's and every file hashes as the set says (a file the set says was missing is missing).</summary>
    private bool Current(InputSet set) =>
        set.Engine == context.EngineStamp
        && set.Templates.Concat(set.Fonts).Concat(set.Assets).All(f => (context.Hashes.Hash(f.Key) ?? "missing") == f.Value);

    /// <summary>
    /// The set and the outputs it lists, when the entry is well formed: canonical key paths only (never a path the build
    /// must not read), hashes or "missing", bounded counts, outputs with a digest and sizes an output can have.
    /// </summary>
    private static (InputSet Set, Dictionary<string, ListedOutput> Outputs)? Read(byte[] entry)
    {
        try
        {
            using var document = JsonDocument.Parse(entry);
            var root = document.RootElement;
            // The serializer leaves a member null when the JSON says null: a hostile entry is not a set.
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("set", out var setJson)
                || setJson.Deserialize(ManifestJsonContext.Default.InputSet) is not { Engine.Length: > 0, Templates: not null, Fonts: not null, Assets: not null } set)
            {
                return null;
            }
            var files = set.Templates.Concat(set.Fonts).Concat(set.Assets).ToList();
            if (files.Count > MaxFiles || !files.All(f => KeyPaths.IsCanonicalKey(f.Key) && IsHashOrMissing(f.Value)))
            {
                return null;
            }
            var outputs = new Dictionary<string, ListedOutput>(StringComparer.Ordinal);
            if (root.TryGetProperty("outputs", out var listed) && listed.ValueKind == JsonValueKind.Object)
            {
                foreach (var output in listed.EnumerateObject().Take(MaxFiles))
                {
                    if (ListedOutput.From(output.Value) is { } o)
                    {
                        outputs[output.Name] = o;
                    }
                }
            }
            return (set, outputs);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsHashOrMissing(string? value) => value is "missing" || (value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower));

    /// <summary>One output as a card entry lists it; only a well-formed one is used (its bytes are verified against it anyway).</summary>
    private sealed record ListedOutput(string Sha256, long Bytes, int Quality, int Width, int Height)
    {
        internal static ListedOutput? From(JsonElement e) =>
            e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String && sha.GetString() is { Length: 64 } digest && digest.All(char.IsAsciiHexDigitLower)
            && e.TryGetProperty("bytes", out var b) && b.TryGetInt64(out var bytes) && bytes > 0
            && e.TryGetProperty("quality", out var q) && q.TryGetInt32(out var quality)
            && e.TryGetProperty("width", out var w) && w.TryGetInt32(out var width) && width is > 0 and <= 65535
            && e.TryGetProperty("height", out var h) && h.TryGetInt32(out var height) && height is > 0 and <= 65535
                ? new ListedOutput(digest, bytes, quality, width, height)
                : null;
    }
}
