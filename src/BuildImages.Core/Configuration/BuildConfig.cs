using BuildImages.Core.Diagnostics;
using BuildImages.Core.Data;
using BuildImages.Core.Encoders;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Configuration;

/// <summary>How URLs in images.json change when an output's bytes change.</summary>
public enum CacheBust
{
    /// <summary><c>?v=</c> plus the first hex digits of the content hash.</summary>
    Query,

    /// <summary>The content hash goes into the file name (<c>og/hello.3f2a9c1b.webp</c>).</summary>
    FileName,

    None,
}

/// <summary>A validated <c>buildimages.json</c>, every path absolute.</summary>
public sealed record BuildConfig
{
    /// <summary>The configuration file; its folder is the base for every relative path.</summary>
    public required string ConfigFile { get; init; }

    public string BaseDirectory => Path.GetDirectoryName(ConfigFile)!;

    public required string OutputDirectory { get; init; }

    /// <summary>The manifest; by default <c>.buildimages-manifest.json</c> in the output folder.</summary>
    public string ManifestFile
    {
        get => _manifestFile ?? Path.Combine(OutputDirectory, ".buildimages-manifest.json");
        init => _manifestFile = value;
    }

    /// <summary>The site metadata file; by default <c>images.json</c> in the output folder.</summary>
    public string MetadataFile
    {
        get => _metadataFile ?? Path.Combine(OutputDirectory, "images.json");
        init => _metadataFile = value;
    }

    /// <summary>Hash of the configuration file's bytes (null for a configuration made in memory); part of images.json's no-op stamp.</summary>
    public string? ContentHash { get; init; }

    public string? BaseUrl { get; init; }

    public CacheBust CacheBust { get; init; } = CacheBust.Query;

    /// <summary>Write an HTML snippet of og:/twitter: tags per item into images.json.</summary>
    public bool Tags { get; init; } = true;

    /// <summary>Delete outputs of items that are gone.</summary>
    public bool Prune { get; init; } = true;

    /// <summary>What one render costs through a per-request image API, for the report.</summary>
    public decimal PricePerRender { get; init; } = 0.002m;

    /// <summary>USD per million input tokens by vision model name (as in vision-providers.json), replacing the defaults in photo reports.</summary>
    public IReadOnlyDictionary<string, decimal> VisionPrices { get; init; } = new Dictionary<string, decimal>();

    /// <summary>Publish-hook payload mappings by job name (the hook server's <c>POST /hooks/{job}</c>); a job without one takes the body as items.</summary>
    public IReadOnlyDictionary<string, HookMapping> Hooks { get; init; } = new Dictionary<string, HookMapping>();

    public IReadOnlyList<string> TemplateRoots { get; init; } = [];

    public IReadOnlyList<string> AssetRoots { get; init; } = [];

    public IReadOnlyList<string> FontFolders { get; init; } = [];

    public bool Strict { get; init; }

    /// <summary>The encoder profile of every job that names none.</summary>
    public EncoderProfile Encoder { get; init; }

    public required IReadOnlyList<JobConfig> Jobs { get; init; }

    /// <summary>The remote cache's URL from <c>"cache"</c> (the fronts use it when neither a flag nor BUILDIMAGES_CACHE_URL names one); null: none.</summary>
    public Uri? CacheUrl { get; init; }

    /// <summary><c>"cache": { "readOnly": true }</c>: fetch only, never upload.</summary>
    public bool CacheReadOnly { get; init; }

    /// <summary>The template roots with the built-in templates last, as the planner and the engine both resolve them.</summary>
    public IReadOnlyList<string> TemplateRootsWithBuiltIn() =>
        Core.Configuration.EngineOptions.BuiltInTemplateFolder() is { } builtIn ? [.. TemplateRoots, builtIn] : TemplateRoots;

    /// <summary>The zone templates see dates in (config <c>timeZone</c>, default UTC), never the machine's.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The culture templates format dates, numbers and prices in unless told otherwise (config <c>culture</c>, default en-US).</summary>
    public System.Globalization.CultureInfo Culture { get; init; } = TemplateOptions.DefaultCulture;

    /// <summary>The engine options this configuration renders with.</summary>
    public EngineOptions EngineOptions(bool strict = false) => new()
    {
        TemplateRoots = TemplateRootsWithBuiltIn(),
        AssetRoots = AssetRoots,
        FontFolders = FontFolders,
        Strict = Strict || strict,
        Templates = new TemplateOptions { TimeZone = TimeZone, Culture = Culture },
    };

    private readonly string? _manifestFile;
    private readonly string? _metadataFile;
}

/// <summary>One job: a template over a data source, to outputs named by a pattern, in variants.</summary>
public sealed record JobConfig
{
    public required string Name { get; init; }

    /// <summary>A template name or a path (relative to the config file).</summary>
    public required string Template { get; init; }

    /// <summary>The card size; null means the template's first declared size, else 1200x630.</summary>
    public CardSize? Size { get; init; }

    /// <summary>Where items come from; either a file reference or inline items.</summary>
    public string? Data { get; init; }

    public IReadOnlyList<DataItem>? InlineItems { get; init; }

    /// <summary>Dotted path to the item array inside a JSON or YAML data file.</summary>
    public string? ItemsPath { get; init; }

    /// <summary>Output path pattern without extension, relative to the output folder (a Scriban pattern over item fields).</summary>
    public required string Output { get; init; }

    /// <summary>Pattern for og:image:alt; null means the item's title when it has one.</summary>
    public string? Alt { get; init; }

    public required IReadOnlyList<VariantConfig> Variants { get; init; }

    /// <summary>Index of the variant the og:image tags point to; null picks the first full-width JPEG or PNG, else the first.</summary>
    public int? TagVariant { get; init; }

    /// <summary>This job's encoder profile; null takes the configuration's.</summary>
    public EncoderProfile? Encoder { get; init; }

    /// <summary>A photos job: right-sizes existing files instead of rendering a template (null for a cards job).</summary>
    public PhotoJobConfig? Photos { get; init; }

    /// <summary>Where the job is written (the config file, or a project file for an MSBuild item's job), for messages.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>Where the output and alt patterns are: they are compiled (and their syntax checked) when a build plans the job.</summary>
    public SourceLocation OutputLocation { get; init; }

    public SourceLocation AltLocation { get; init; }

    /// <summary>Where the template and the data are named, for a template or data file that is not found.</summary>
    public SourceLocation TemplateLocation { get; init; }

    public SourceLocation DataLocation { get; init; }
}

/// <summary>One encoded variant of a card.</summary>
public sealed record VariantConfig
{
    public required ImageFormat Format { get; init; }

    /// <summary>Pixel width; null means the card's width.</summary>
    public int? Width { get; init; }

    public int? Quality { get; init; }

    /// <summary>Byte budget: the quality is searched down to <see cref="MinQuality"/> to fit it.</summary>
    public long? MaxBytes { get; init; }

    public int MinQuality { get; init; } = 40;

    /// <summary>Replaces the default <c>-WIDTH</c> suffix of the file name.</summary>
    public string? Suffix { get; init; }

    /// <summary>WebP 0–6 or AVIF 0–9; null takes the profile's.</summary>
    public int? Effort { get; init; }

    /// <summary>Photos only: how the variant is sized and cropped (width, longest side, aspect ratio, chroma).</summary>
    public Imaging.PhotoShape? Shape { get; init; }

    public SourceLocation Location { get; init; }

    public int QualityOrDefault => Quality ?? (Format == ImageFormat.Jpeg ? 82 : 80);
}

/// <summary>What a photos job reads and how it treats the files.</summary>
public sealed record PhotoJobConfig
{
    /// <summary>A glob (or a list as one brace group) relative to the config file.</summary>
    public required string Sources { get; init; }

    /// <summary>The folder output names are relative to: the sources' folder before the first wildcard.</summary>
    public required string BaseFolder { get; init; }

    public Imaging.PhotoSettings Settings { get; init; } = new();

    public PhotoErrorPolicy OnError { get; init; }

    /// <summary>Write a &lt;picture&gt; snippet (srcset per format, width and height) per photo into images.json.</summary>
    public bool Picture { get; init; } = true;

    /// <summary>The <c>sizes</c> attribute of the snippet.</summary>
    public string Sizes { get; init; } = "100vw";

    /// <summary>Focal points by path relative to <see cref="BaseFolder"/>, for <c>crop: focal</c>.</summary>
    public IReadOnlyDictionary<string, (double X, double Y)> Focus { get; init; } = new Dictionary<string, (double X, double Y)>();
}

/// <summary>What a photos job does with a file it cannot read.</summary>
public enum PhotoErrorPolicy
{
    /// <summary>An error naming the file; the others continue; exit code 1.</summary>
    Fail,

    /// <summary>The first such file stops the build (what was written stays valid); exit code 1.</summary>
    Stop,

    /// <summary>A warning naming the file; the others continue; exit code 0.</summary>
    Skip,

    /// <summary>
    /// A warning naming the file, which is copied unchanged (metadata and all) to the output stem with its own
    /// extension, and marked "original" in the report; the others continue; exit code 0.
    /// </summary>
    CopyOriginal,
}
