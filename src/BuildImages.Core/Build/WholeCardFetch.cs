using System.Text.Json;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// A card taken from the remote cache whole, before its template is evaluated: the build that laid it out stored its
/// input set (engine, template, font and image files with their hashes) under the card's pre-claim. When the engine
/// is this one and every file hashes the same here, evaluation and layout would read the same files and give the same
/// markup, so the output keys are computed from the set, as the manifest's own check does, and each output is fetched
/// under its key (mapping signed, bytes verified). Anything missing or different: the card takes the ordinary path.
/// This is what makes assembling a sharded site cost a fetch per output instead of a layout per card.
/// </summary>
internal sealed class WholeCardFetch(WorkerContext context)
{
    /// <summary>More files than any card reads (templates, includes, fonts, images): an entry naming more is not ours.</summary>
    private const int MaxFiles = 4096;

    /// <summary>Whether every output <paramref name="work"/> needs was fetched, written and recorded.</summary>
    internal bool TryFetch(PlannedCard card, OutputWork work, string preClaim, Func<PlannedVariant, RenderReason, string, Caching.CachedOutput, HashSet<string>, VariantRecord> write)
    {
        if (context.Cache is not { } cache || cache.TryFetchItem(Caching.OutputCache.ItemKey(preClaim)) is not { } entry || Read(entry) is not { } set || !Current(set))
        {
            return false;
        }
        var setHash = set.Hash();
        var keyBase = ContentHash.OfParts(card.PreKey, setHash);
        var fetched = new List<(PlannedVariant Variant, RenderReason Reason, string Key, Caching.CachedOutput Output)>();
        foreach (var (variant, reason) in work.Needed.OrderBy(n => n.Key.Path, StringComparer.Ordinal))
        {
            var key = ContentHash.OfParts(keyBase, variant.Signature);
            if (cache.Peek(key) is not { } output)
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
        context.Manifest.Set(RecordMaker.Item(card, work.Old, work.Needed, written, setHash[..16], context.Paths));
        return true;
    }

    /// <summary>Stores the set a card was laid out with, so the next build elsewhere can take it whole.</summary>
    internal void Store(string preClaim, InputSet set) =>
        context.Cache?.StoreItem(Caching.OutputCache.ItemKey(preClaim), JsonSerializer.SerializeToUtf8Bytes(set, ManifestJsonContext.Default.InputSet));

    /// <summary>The engine is this build's and every file hashes as the set says (a file the set says was missing is missing).</summary>
    private bool Current(InputSet set) =>
        set.Engine == context.EngineStamp
        && set.Templates.Concat(set.Fonts).Concat(set.Assets).All(f => (context.Hashes.Hash(f.Key) ?? "missing") == f.Value);

    /// <summary>The set, when it is well formed: canonical key paths only (never a path the build must not read), hashes or "missing", a bounded count.</summary>
    private static InputSet? Read(byte[] entry)
    {
        try
        {
            var set = JsonSerializer.Deserialize(entry, ManifestJsonContext.Default.InputSet);
            // The serializer leaves a member null when the JSON says null: a hostile entry is not a set.
            if (set is not { Engine.Length: > 0, Templates: not null, Fonts: not null, Assets: not null })
            {
                return null;
            }
            var files = set.Templates.Concat(set.Fonts).Concat(set.Assets).ToList();
            return files.Count <= MaxFiles && files.All(f => KeyPaths.IsCanonicalKey(f.Key) && IsHashOrMissing(f.Value)) ? set : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsHashOrMissing(string? value) => value is "missing" || (value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower));
}
