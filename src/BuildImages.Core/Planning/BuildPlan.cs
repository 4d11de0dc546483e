using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Planning;

/// <summary>Every item (card or photo) the configuration asks for, with its outputs and pre-key; and the items that cannot be planned.</summary>
public sealed record BuildPlan(IReadOnlyList<PlannedItem> Items, IReadOnlyList<Diagnostic> Problems, IReadOnlyList<string> Jobs)
{
    public int OutputCount => Items is PlannedItemList list ? list.OutputCount : Items.Sum(c => c.Variants.Count);

    /// <summary>Data files (manifest keys) that could not be read this build: their items are unknown, so their outputs are kept.</summary>
    public IReadOnlyList<string> HeldSources { get; init; } = [];

    /// <summary>Jobs refused as a whole this build (their output folder leads outside outputDir): their outputs are kept.</summary>
    public IReadOnlyList<string> HeldJobs { get; init; } = [];

    /// <summary>
    /// Items (by name) refused for another item's problem, which names them: the first writer of a file a later item also
    /// writes (the error is at the later one). They failed, and their outputs are kept.
    /// </summary>
    public IReadOnlyList<string> HeldItems { get; init; } = [];

    /// <summary>How many of <see cref="Problems"/> are errors: counted without reading them back when they are kept serialised.</summary>
    internal int ProblemErrorCount => ErrorsIn(Problems);

    private static int ErrorsIn(IReadOnlyList<Diagnostic> problems) => problems switch
    {
        Primitives.DiagnosticList.Listed listed => listed.ErrorCount,
        Joined joined => ErrorsIn(joined.First) + ErrorsIn(joined.Then),
        _ => problems.Count(p => p.Severity == DiagnosticSeverity.Error),
    };

    /// <summary>The plan without the cards <paramref name="refuse"/> has a problem with, each problem added (the card fails, its old outputs are kept).</summary>
    internal BuildPlan Without(Func<PlannedItem, Diagnostic?> refuse)
    {
        var problems = new List<Diagnostic>();
        var kept = PlannedItemList.Filter(Items, (card, _) =>
        {
            if (refuse(card) is { } problem)
            {
                problems.Add(problem);
                return false;
            }
            return true;
        });
        return problems.Count == 0 ? this : this with { Items = kept, Problems = new Joined(Problems, problems) };
    }

    /// <summary>The plan's problems, then the ones a guard added: not copied into one list (a plan may hold a million, kept serialised).</summary>
    private sealed class Joined(IReadOnlyList<Diagnostic> first, IReadOnlyList<Diagnostic> then) : IReadOnlyList<Diagnostic>
    {
        internal IReadOnlyList<Diagnostic> First => first;

        internal IReadOnlyList<Diagnostic> Then => then;

        public int Count => first.Count + then.Count;

        public Diagnostic this[int index] => index < first.Count ? first[index] : then[index - first.Count];

        public IEnumerator<Diagnostic> GetEnumerator() => first.Concat(then).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// One planned item of one job and the files it becomes: a <see cref="PlannedCard"/> (a template drawn) or a
/// <see cref="PlannedPhoto"/> (a source file right-sized). The build chooses the worker by the kind.
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="TemplateKey">What the manifest records as the item's template: the template's main file key, or "photo".</param>
/// <param name="Item">The data item.</param>
/// <param name="Size">The card size (default for a photo, whose size is known once it is made).</param>
/// <param name="Output">The output stem.</param>
/// <param name="Alt">The alt text, if any.</param>
/// <param name="PreKey">What the item's pixels depend on before its template is evaluated or its file read.</param>
/// <param name="Variants">The files it becomes.</param>
public abstract record PlannedItem(JobConfig Job, string TemplateKey, DataItem Item, CardSize Size, string Output, string? Alt, string PreKey, IReadOnlyList<PlannedVariant> Variants)
{
    // Held as 32 bytes, not 64 hex digits: the plan keeps every item to the build's end.
    private readonly Primitives.CompactKey _preKey = Primitives.CompactKey.From(PreKey);

    /// <summary>What the item's pixels depend on before its template is evaluated or its file read (made anew from 32 bytes on each read).</summary>
    public string PreKey
    {
        get => _preKey.Text!;
        init => _preKey = Primitives.CompactKey.From(value);
    }

    /// <summary>The pre-key as held (a plan's compact rows keep its 32 bytes and give them back here, without the text).</summary>
    internal Primitives.CompactKey CompactPreKey
    {
        get => _preKey;
        init => _preKey = value;
    }

    // The alt text as given, or the job's namer, which makes it from the fields when asked: by default an item's alt is
    // its title, a string of its own per item (about 120 bytes) that the plan would keep to the build's end, though only
    // a record's maker reads it, with the fields it has loaded anyway.
    private readonly object? _alt = Alt;

    /// <summary>The alt text, if any (when made from the fields, made anew on each read: the fields are decoded for it).</summary>
    public string? Alt
    {
        get => _alt is OutputNamer namer ? namer.Alt(LoadFields()) : (string?)_alt;
        init => _alt = value;
    }

    /// <summary>Makes <see cref="Alt"/> from the item's fields when asked, with this job's namer (set at planning).</summary>
    internal OutputNamer? AltNamer
    {
        get => _alt as OutputNamer;
        init => _alt = value;
    }

    /// <summary>The alt text, made from <paramref name="fields"/> (the item's, already loaded) when it is made at all.</summary>
    internal string? AltOf(IReadOnlyDictionary<string, object?> fields) => _alt is OutputNamer namer ? namer.Alt(fields) : (string?)_alt;

    // The job's variant shapes (a PlannedVariant[], shared by its items: the variants are made from them and the output
    // stem when read, see ItemVariants), or the variants as given (any other list). Not a list object per item: the
    // plan keeps every item to the build's end, and that object was 32 bytes an item.
    private readonly object _variants = Hold(Output, Variants);

    /// <summary>The files it becomes (when made from its job's shapes, made anew on each read: take it once).</summary>
    public IReadOnlyList<PlannedVariant> Variants
    {
        get => _variants is PlannedVariant[] shapes ? new ItemVariants(Output, shapes) : (IReadOnlyList<PlannedVariant>)_variants;
        init => _variants = Hold(Output, value);
    }

    private static object Hold(string output, IReadOnlyList<PlannedVariant> variants) => variants switch
    {
        ItemVariants made when made.Stem == output => made.Shapes,
        // An array given as the variants is not shapes: held as a list of its own.
        PlannedVariant[] given => Array.AsReadOnly(given),
        _ => variants,
    };

    // Made when asked, not held: a plan keeps every item to the build's end, and the two strings were about 120 bytes an
    // item. What keeps one long takes it once: the outcome log serialises the name, a waiting
    // copy holds its owner, not the owner's key.

    /// <summary>How the item is named in messages: job/item (a new string each time).</summary>
    public string Name => $"{Job.Name}/{Item.Id}";

    /// <summary>The manifest identity of the item: job:output (a new string each time).</summary>
    public string RecordKey => $"{Job.Name}:{Output}";

    /// <summary>A short hash per data field, for explaining a change; made each time it is asked for (a batch keeps the plan to its end, and this is only needed when a card is rendered or explained).</summary>
    public IReadOnlyDictionary<string, string> FieldHashes() => CanonicalData.FieldHashes(LoadFields());

    /// <summary>Where the variant written to <paramref name="path"/> is among <see cref="Variants"/>; -1 if none is.</summary>
    internal int VariantIndex(string path)
    {
        if (Variants is ItemVariants made)
        {
            return made.IndexOf(path);
        }
        for (var i = 0; i < Variants.Count; i++)
        {
            if (string.Equals(Variants[i].Path, path, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Adds the folders its outputs go to (relative to the output folder) to <paramref name="folders"/>, without making its variants.</summary>
    internal void AddOutputFoldersTo(Primitives.OutputFolderSet folders)
    {
        if (Variants is ItemVariants made)
        {
            made.AddFoldersTo(folders);
            return;
        }
        foreach (var variant in Variants)
        {
            folders.AddFolderOf(variant.Path);
        }
    }

    /// <summary>
    /// The item's fields, read once: a batch build keeps them in a <see cref="FieldStore"/> once they are planned, where
    /// each read of <see cref="StoredFields"/> decodes them, so a reader that looks at several takes them from here.
    /// </summary>
    internal IReadOnlyDictionary<string, object?> LoadFields() => Item.Fields is StoredFields stored ? stored.Load() : Item.Fields;
}

/// <summary>A card: its template drawn at the card size, then encoded per variant.</summary>
public sealed record PlannedCard(JobConfig Job, TemplateDefinition Template, string TemplateKey, DataItem Item, CardSize Size, string Output, string? Alt, string PreKey, IReadOnlyList<PlannedVariant> Variants)
    : PlannedItem(Job, TemplateKey, Item, Size, Output, Alt, PreKey, Variants);

/// <summary>A photo of a photos job: its source file right-sized per variant.</summary>
public sealed record PlannedPhoto(JobConfig Job, DataItem Item, string Output, string PreKey, IReadOnlyList<PlannedVariant> Variants, PhotoSource Source)
    : PlannedItem(Job, "photo", Item, default, Output, null, PreKey, Variants);

/// <summary>The file a photo job's item right-sizes.</summary>
/// <param name="SourceKey">The source's manifest key.</param>
/// <param name="SourceFile">The source's full path.</param>
/// <param name="Focus">A focal point from the job's focus map, for <c>crop: focal</c>.</param>
/// <param name="OriginalPath">Where the source is copied unchanged if it cannot be read (onError: copy-original), else null.</param>
public sealed record PhotoSource(string SourceKey, string SourceFile, (double X, double Y)? Focus, string? OriginalPath = null);

/// <summary>One encoded file of a card: its path (relative to the output folder, '/' separated), pixel size and encoding.</summary>
public sealed record PlannedVariant
{
    // Everything but the path is the job's, the same for each of its items: held once per job and shared by reference
    // (a plan holds every output to the build's end; 40 bytes each, four million times, was 160 MB).
    private readonly Look _look;

    public PlannedVariant(string Path, int Width, int Height, EncodeOptions Encode, long? MaxBytes, int MinQuality)
    {
        this.Path = Path;
        _look = new Look(Width, Height, Encode, MaxBytes, MinQuality, null);
    }

    /// <summary>Where the file goes, relative to the output folder, '/' separated.</summary>
    public string Path { get; init; }

    public int Width
    {
        get => _look.Width;
        init => _look = _look with { Width = value };
    }

    public int Height
    {
        get => _look.Height;
        init => _look = _look with { Height = value };
    }

    public EncodeOptions Encode
    {
        get => _look.Encode;
        init => _look = _look with { Encode = value };
    }

    public long? MaxBytes
    {
        get => _look.MaxBytes;
        init => _look = _look with { MaxBytes = value };
    }

    public int MinQuality
    {
        get => _look.MinQuality;
        init => _look = _look with { MinQuality = value };
    }

    /// <summary>Photos only: how the variant is sized from the source (its <see cref="Width"/> and <see cref="Height"/> are known only once the source is read).</summary>
    public Imaging.PhotoShape? Shape
    {
        get => _look.Shape;
        init => _look = _look with { Shape = value };
    }

    public void Deconstruct(out string Path, out int Width, out int Height, out EncodeOptions Encode, out long? MaxBytes, out int MinQuality) =>
        (Path, Width, Height, Encode, MaxBytes, MinQuality) = (this.Path, this.Width, this.Height, this.Encode, this.MaxBytes, this.MinQuality);

    /// <summary>Everything about the variant that decides its bytes, as one readable string (made once per job's look: a check compares it for every output).</summary>
    public string Signature => _look.Signature;

    /// <summary>What a variant is apart from its path: the same for every item of a job.</summary>
    private sealed record Look(int Width, int Height, EncodeOptions Encode, long? MaxBytes, int MinQuality, Imaging.PhotoShape? Shape)
    {
        // Made on first use from the values. A `with` would copy it, so the copy constructor below starts it empty, and
        // equality leaves it out (a look that has made it equals one that has not).
        private string? _signature;

        private Look(Look original)
        {
            (Width, Height, Encode, MaxBytes, MinQuality, Shape) = (original.Width, original.Height, original.Encode, original.MaxBytes, original.MinQuality, original.Shape);
        }

        internal string Signature => _signature ??= Describe();

        public bool Equals(Look? other) =>
            other is not null && (Width, Height, Encode, MaxBytes, MinQuality, Shape) == (other.Width, other.Height, other.Encode, other.MaxBytes, other.MinQuality, other.Shape);

        public override int GetHashCode() => HashCode.Combine(Width, Height, Encode, MaxBytes, MinQuality, Shape);

        private string Describe()
        {
            var size = Shape is { } shape ? shape.Describe() : $"{Width}x{Height}";
            return MaxBytes is { } max
                ? $"{Encode.Format.ToString().ToLowerInvariant()} {size} {EncoderSettings.Describe(Encode)} max {max} B min q{MinQuality}"
                : $"{Encode.Format.ToString().ToLowerInvariant()} {size} {EncoderSettings.Describe(Encode)}";
        }
    }
}
