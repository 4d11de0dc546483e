using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Decides, from the manifest, whether an output must be rendered, and names the first difference.
/// Cheap in the common case: equal pre-keys skip the field diff, input hashes come from <see cref="FileHashCache"/>,
/// and an output is hashed only when its size or time changed.
/// </summary>
internal sealed class ChangeDetector(string engineStamp, FileHashCache inputs, StatCache stats, Func<string, InputSet?> inputSet, string outputDirectory, bool force)
{
    // Reasons without a detail of their own are one object each, shared: a cold build gives one to every item it plans.
    private static readonly RenderReason NewItem = new(RenderReasonKind.NewItem, "new item");
    private static readonly RenderReason Forced = new(RenderReasonKind.Forced, "forced (--force)");
    private static readonly RenderReason Incomplete = new(RenderReasonKind.NewItem, "new item (its manifest entry is incomplete)");
    private static readonly RenderReason NewVariant = new(RenderReasonKind.NewVariant, "new variant");
    private static readonly RenderReason OutputMissing = new(RenderReasonKind.OutputMissing, "output missing");
    private static readonly RenderReason OutputAltered = new(RenderReasonKind.OutputAltered, "output altered since it was written");

    /// <summary>Distinct details whose reasons are shared; past them, a reason is the card's own.</summary>
    private const int MostSharedReasons = 4096;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RenderReason?> _setReasons = new(StringComparer.Ordinal);

    // A reason with a detail is made once per detail and shared by every card and output it is given to: a change all
    // cards share (the engine or the fonts, a template, an option, a field added to every item) gave each card its own
    // reason and text, held to the render phase's end, 570 bytes a card (a heap dump of a full rebuild at 100,000
    // items; 978 MiB at a million, against 453 for the cold build).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RenderReason> _reasons = new(StringComparer.Ordinal);

    /// <summary>The folder outputs are checked in.</summary>
    internal string OutputDirectory => outputDirectory;

    /// <summary>A reason that applies to every variant of the card, or null if the card's inputs are unchanged.</summary>
    public RenderReason? CardReason(PlannedItem card, ItemRecord? record)
    {
        if (record is null)
        {
            return NewItem;
        }
        if (force)
        {
            return Forced;
        }
        if (inputSet(record.Inputs) is not { } set)
        {
            return Incomplete;
        }
        if (set.Engine != engineStamp)
        {
            return Shared(RenderReasonKind.EngineChanged, $"engine or native library versions changed ({set.Engine} → {engineStamp})");
        }
        if (record.Template != card.TemplateKey)
        {
            return Shared(RenderReasonKind.TemplateChanged, $"template changed ({record.Template} → {card.TemplateKey})");
        }
        if (record.Size != card.Size.ToString())
        {
            return Shared(RenderReasonKind.SizeChanged, $"card size changed ({record.Size} → {card.Size})");
        }
        if (record.PreKey != card.PreKey)
        {
            return DataReason(card, record);
        }
        // Many cards share a set: check its files once.
        return _setReasons.GetOrAdd(record.Inputs, _ =>
            FileReason(set.Templates, RenderReasonKind.TemplateFileChanged, "template file")
            ?? FileReason(set.Fonts, RenderReasonKind.FontFileChanged, "font file")
            ?? FileReason(set.Assets, RenderReasonKind.AssetFileChanged, "asset file"));
    }

    /// <summary>Whether one output is current: its file is the one recorded (hashed only when its time changed).</summary>
    /// <param name="variant">The planned output.</param>
    /// <param name="record">Its record in the manifest, if any.</param>
    /// <param name="outputs">This thread's cursor on the output folder (a check of every output stats each relative to it).</param>
    public RenderReason? VariantReason(PlannedVariant variant, VariantRecord? record, FileStampCursor outputs)
    {
        if (record is null)
        {
            return NewVariant;
        }
        if (record.Options != variant.Signature)
        {
            return Shared(RenderReasonKind.OptionsChanged, $"options changed ({record.Options} → {variant.Signature})");
        }
        // One statx per output (a full check makes one for every output of the site), relative to the output folder:
        // the kernel walks only the output's own path, and no string is made for it.
        if (Stamp(record.File, outputs) is not { } stamp)
        {
            return OutputMissing;
        }
        var ticks = stamp.ModifiedTicks;
        if (stamp.Size == record.Bytes && stats.OutputTimes.TryGetValue(record.File, out var known) && known == ticks)
        {
            return null;
        }
        if (stamp.Size == record.Bytes && ContentHash.OfFile(Path.Combine(outputDirectory, record.File)) == record.Sha256)
        {
            stats.OutputTimes.Set(record.File, ticks);
            return null;
        }
        return OutputAltered;
    }

    private FileStamp? Stamp(string file, FileStampCursor outputs)
    {
        // Recorded paths were checked when the manifest was read: relative, '/' separated, never leading out. A longer
        // one than the stack should hold is stat'ed by its whole path.
        if (file.Length > 512)
        {
            return FileStamp.Read(Path.Combine(outputDirectory, file));
        }
        Span<byte> relative = stackalloc byte[System.Text.Encoding.UTF8.GetMaxByteCount(file.Length)];
        var length = System.Text.Encoding.UTF8.GetBytes(file, relative);
        return FileStamp.Read(outputs, relative[..length]);
    }

    private RenderReason DataReason(PlannedItem card, ItemRecord record)
    {
        var fields = card.FieldHashes();
        var changed = fields.Where(f => record.Fields.TryGetValue(f.Key, out var old) && old != f.Value).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        var added = fields.Keys.Where(k => !record.Fields.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var removed = record.Fields.Keys.Where(k => !fields.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (changed.Count > 0)
        {
            parts.Add($"data field{(changed.Count > 1 ? "s" : string.Empty)} {Quote(changed)} changed");
        }
        if (added.Count > 0)
        {
            parts.Add($"field{(added.Count > 1 ? "s" : string.Empty)} {Quote(added)} added");
        }
        if (removed.Count > 0)
        {
            parts.Add($"field{(removed.Count > 1 ? "s" : string.Empty)} {Quote(removed)} removed");
        }
        return parts.Count > 0
            ? Shared(RenderReasonKind.DataChanged, string.Join("; ", parts))
            : Shared(RenderReasonKind.SettingsChanged, "settings changed (strict mode or the files in the font folders)");
    }

    private RenderReason? FileReason(SortedDictionary<string, string> recorded, RenderReasonKind kind, string role)
    {
        foreach (var (path, hash) in recorded)
        {
            var now = inputs.Hash(path);
            if (now != hash)
            {
                return new(kind, now is null ? $"{role} {path} removed" : $"{role} {path} changed");
            }
        }
        return null;
    }

    /// <summary>The reason of <paramref name="kind"/> with <paramref name="detail"/>: the one already given, when one was.</summary>
    private RenderReason Shared(RenderReasonKind kind, string detail)
    {
        if (_reasons.TryGetValue(detail, out var known))
        {
            return known.Kind == kind ? known : new(kind, detail);
        }
        var made = new RenderReason(kind, detail);
        if (_reasons.Count >= MostSharedReasons)
        {
            return made;
        }
        var shared = _reasons.GetOrAdd(detail, made);
        return shared.Kind == kind ? shared : made;
    }

    private static string Quote(List<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
