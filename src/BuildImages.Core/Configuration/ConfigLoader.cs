using System.Text.Json;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Configuration;

/// <summary>
/// Reads and validates <c>buildimages.json</c> (schema: <c>schemas/buildimages.schema.json</c>). Paths resolve
/// against the config file's folder. Every problem is a <see cref="BuildInputException"/> with file, line and column.
/// </summary>
public static class ConfigLoader
{
    public const string DefaultFileName = "buildimages.json";

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <param name="path">The configuration file.</param>
    /// <param name="outputDirectory">Overrides <c>outputDir</c> (the manifest and images.json follow it unless placed explicitly).</param>
    /// <param name="addedJobs">Jobs written elsewhere (the MSBuild package's items), after the file's own (see <see cref="Parse(byte[], string, string?, IReadOnlyList{ConfigValue}?)"/>).</param>
    public static BuildConfig Load(string path, string? outputDirectory = null, IReadOnlyList<ConfigValue>? addedJobs = null)
    {
        var file = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw BuildInputException.Error(DiagnosticCodes.ConfigNotFound, ex is FileNotFoundException or DirectoryNotFoundException
                ? $"configuration file not found; create one with 'dotnet build-images init' or pass --config"
                : "configuration file could not be read: " + ex.Message, file);
        }
        return Parse(bytes, file, outputDirectory, addedJobs);
    }

    /// <summary>
    /// A configuration a front made without a buildimages.json (the MSBuild package from its items): <paramref name="root"/>
    /// holds what the file would (outputDir, baseUrl, jobs), each value at the place the user wrote it.
    /// </summary>
    /// <param name="root">The configuration object.</param>
    /// <param name="file">Stands for the configuration file: relative paths resolve against its folder (a project file).</param>
    public static BuildConfig Read(ConfigValue root, string file)
    {
        return Read(new ConfigObject(root), [], Path.GetFullPath(file), null) with { ContentHash = Primitives.ContentHash.OfText(root.Canonical())[..16] };
    }

    /// <param name="utf8">The configuration's JSON text.</param>
    /// <param name="file">The file it is named as in errors; relative paths in it resolve against its folder.</param>
    /// <param name="outputDirectory">Overrides <c>outputDir</c>.</param>
    /// <param name="addedJobs">Jobs written elsewhere (the MSBuild package's items), after the file's own: checked as the file's are, each mistake at its own place.</param>
    public static BuildConfig Parse(byte[] utf8, string file, string? outputDirectory = null, IReadOnlyList<ConfigValue>? addedJobs = null)
    {
        Primitives.Utf8Text.Check(utf8, file, DiagnosticCodes.ConfigSyntax);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw BuildInputException.FromJson(DiagnosticCodes.ConfigSyntax, ex, file);
        }
        using (document)
        {
            var readerOptions = new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
            if (Primitives.LoneSurrogateLocator.Find(utf8, readerOptions) is var (line, column))
            {
                throw BuildInputException.Error(DiagnosticCodes.ConfigSyntax, Primitives.LoneSurrogateLocator.Message, file, line, column);
            }
            var source = new JsonConfigText(file, new JsonLocator(utf8, readerOptions));
            var root = new ConfigObject(ConfigValue.FromJson(document.RootElement, string.Empty, source));
            if (addedJobs is not { Count: > 0 })
            {
                return Read(root, [], file, outputDirectory) with { ContentHash = Primitives.ContentHash.Of(utf8)[..16] };
            }
            // The file's bytes and the added jobs' values: what decides the plan, without the places they were written at.
            var hash = Primitives.ContentHash.OfParts([Primitives.ContentHash.Of(utf8), .. addedJobs.Select(j => j.Canonical())]);
            return Read(root, addedJobs, file, outputDirectory) with { ContentHash = hash[..16] };
        }
    }

    private static BuildConfig Read(ConfigObject root, IReadOnlyList<ConfigValue> addedJobs, string file, string? outputOverride)
    {
        root.AllowOnly("outputDir", "baseUrl", "manifest", "metadata", "cacheBust", "tags", "prune", "pricePerRender", "templates", "assets", "fonts", "strict", "timeZone", "culture", "encoder", "photoPresets", "visionPrices", "cache", "hooks", "jobs");
        var baseDir = Path.GetDirectoryName(file)!;
        string Full(string p) => Path.GetFullPath(Path.Combine(baseDir, p));
        var outputDir = outputOverride is not null ? Path.GetFullPath(outputOverride) : Full(root.String("outputDir") ?? "wwwroot");
        var baseUrl = root.String("baseUrl");
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") && !baseUrl.StartsWith('/'))
        {
            throw root.Error("baseUrl", $"'baseUrl' must be an absolute http(s) URL or start with '/', not '{baseUrl}'");
        }
        var cacheBust = root.String("cacheBust") switch
        {
            null or "query" => CacheBust.Query,
            "filename" => CacheBust.FileName,
            "none" => CacheBust.None,
            var other => throw root.Choice("cacheBust", other, "query", "filename", "none"),
        };
        // Parsed only when a photos job asks: a cards-only configuration (and its no-op build) never reads them.
        var presets = new Lazy<IReadOnlyDictionary<string, PhotoPreset>>(() =>
            root.Object("photoPresets") is { } own ? PhotoPresets.With(PhotoPresets.BuiltIn(), own) : PhotoPresets.BuiltIn());
        if (root.Has("photoPresets"))
        {
            // Its own mistakes are errors whether or not a job uses it.
            _ = presets.Value;
        }
        var jobs = root.Objects("jobs").Concat(addedJobs.Select(j => new ConfigObject(j))).Select(j => j.String("kind") switch
        {
            null or "cards" => ReadJob(j, baseDir),
            "photos" => PhotoJobReader.Read(j, baseDir, presets.Value),
            var other => throw j.Choice("kind", other, "cards", "photos"),
        }).ToList();
        if (jobs.Count == 0)
        {
            throw root.Error("jobs", "'jobs' must list at least one job");
        }
        var duplicateName = jobs.GroupBy(j => j.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateName is not null)
        {
            throw ConfigValue.Error(duplicateName.ElementAt(1).Location, $"two jobs are named '{duplicateName.Key}'; job names must be unique");
        }
        var manifest = root.String("manifest");
        var metadata = root.String("metadata");
        var cache = root.Object("cache");
        cache?.AllowOnly("url", "readOnly");
        var config = new BuildConfig
        {
            ConfigFile = file,
            OutputDirectory = outputDir,
            BaseUrl = baseUrl,
            CacheBust = cacheBust,
            Tags = root.Bool("tags") ?? true,
            Prune = root.Bool("prune") ?? true,
            PricePerRender = root.Decimal("pricePerRender") ?? 0.002m,
            TemplateRoots = root.Strings("templates").Select(Full).ToList(),
            AssetRoots = root.Has("assets") ? root.Strings("assets").Select(Full).ToList() : [baseDir],
            FontFolders = root.Strings("fonts").Select(Full).ToList(),
            Strict = root.Bool("strict") ?? false,
            TimeZone = ReadTimeZone(root),
            Culture = ReadCulture(root),
            Encoder = ReadEncoder(root) ?? EncoderProfile.Balanced,
            VisionPrices = ReadPrices(root),
            Hooks = HookMappingReader.Read(root, jobs),
            CacheUrl = cache is null ? null : ReadCacheUrl(cache),
            CacheReadOnly = cache?.Bool("readOnly") ?? false,
            Jobs = jobs,
        };
        config = manifest is null ? config : config with { ManifestFile = Full(manifest) };
        return metadata is null ? config : config with { MetadataFile = Path.GetFullPath(Path.Combine(outputDir, metadata)) };
    }

    /// <summary>"cache": { "url" }: http(s), and never with credentials in it (they would be committed with the file).</summary>
    private static Uri ReadCacheUrl(ConfigObject cache)
    {
        var text = cache.RequiredString("url");
        return Caching.RemoteCacheOptions.ParseUrl(text)
            ?? throw cache.Error("url", $"'url' must be an http(s) URL, s3://bucket/prefix or azblob://container/prefix, without credentials in it (they come from the environment: docs/remote-cache.md), not '{text}'");
    }

    /// <summary>
    /// "timeZone": the IANA zone templates see dates in (default UTC), never the machine's: the same data gives the same
    /// card on every machine, and the zone is part of every card's key.
    /// </summary>
    private static TimeZoneInfo ReadTimeZone(ConfigObject root)
    {
        var id = root.String("timeZone");
        if (id is null or "UTC" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw root.Error("timeZone", $"'timeZone' must be an IANA time zone such as \"Europe/Berlin\" or \"America/New_York\"; '{id}' is not one this machine knows");
        }
    }

    /// <summary>"culture": the default culture of dates, numbers and prices in templates (default en-US); a template or an item's field can still name another.</summary>
    private static System.Globalization.CultureInfo ReadCulture(ConfigObject root)
    {
        var name = root.String("culture");
        if (name is null)
        {
            return Templates.TemplateOptions.DefaultCulture;
        }
        try
        {
            var culture = System.Globalization.CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture.Name.Length > 0 ? culture : throw new System.Globalization.CultureNotFoundException(name);
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            throw root.Error("culture", $"'culture' must be a culture name such as \"en-US\", \"de-DE\" or \"ar-EG\"; '{name}' is not one this machine knows");
        }
    }

    /// <summary>"visionPrices": { "gpt-5": 1.25 }: a model's price per million input tokens, for photo reports.</summary>
    private static Dictionary<string, decimal> ReadPrices(ConfigObject root)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (root.Object("visionPrices") is not { } own)
        {
            return prices;
        }
        var known = Imaging.VisionModels.BuiltIn().Select(m => m.Model).ToHashSet(StringComparer.Ordinal);
        foreach (var name in own.PropertyNames())
        {
            if (!known.Contains(name))
            {
                throw own.Error(name, $"'visionPrices' names no known model '{name}' (models: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
            prices[name] = own.Decimal(name) is { } price and >= 0 ? price : throw own.Error(name, $"the price of '{name}' must be a number of USD per million tokens, 0 or more");
        }
        return prices;
    }

    private static JobConfig ReadJob(ConfigObject job, string baseDir)
    {
        job.AllowOnly("name", "kind", "template", "size", "data", "items", "output", "alt", "variants", "tagVariant", "encoder");
        var name = job.RequiredString("name");
        var output = job.RequiredString("output");
        if (Path.IsPathRooted(output) || output.StartsWith('/') || output.StartsWith('\\') || output.Replace('\\', '/').Split('/').Any(s => s == ".."))
        {
            throw job.Error("output", $"'output' must be a relative path inside outputDir, without '..': '{output}'");
        }
        var alt = job.String("alt");
        string? data = null;
        IReadOnlyList<DataItem>? inline = null;
        switch (job.Raw("data"))
        {
            case null:
                throw job.Error("data", $"job '{name}' needs 'data': a data file, a glob of Markdown files, or an array of items");
            case { IsString: true } one:
                data = one.StringValue;
                break;
            case { Kind: ConfigKind.Array, Items: { Count: > 0 } globs } when globs.All(e => e.IsString):
                // A list of paths or globs reads as one brace group: every file any of them matches, in path order.
                var list = globs.Select(e => e.StringValue!).ToList();
                if (list.FirstOrDefault(TopLevelComma) is { } comma)
                {
                    throw job.Error("data", $"a 'data' list entry cannot hold a comma outside braces ('{comma}')");
                }
                data = list.Count == 1 ? list[0] : "{" + string.Join(',', list) + "}";
                break;
            case { Kind: ConfigKind.Array } array:
                inline = InlineItems(array);
                break;
            case { } other:
                throw other.Error($"'data' must be a path, a glob or an array of items, not {other.Describe()}");
        }
        var variants = job.Objects("variants").Select(ReadVariant).ToList();
        if (!job.Has("variants"))
        {
            variants = [new VariantConfig { Format = ImageFormat.WebP }, new VariantConfig { Format = ImageFormat.Jpeg }];
        }
        else if (variants.Count == 0)
        {
            throw job.Error("variants", "'variants' must list at least one variant");
        }
        var tagVariant = (int?)job.Integer("tagVariant", 0, variants.Count - 1);
        return new JobConfig
        {
            Name = name,
            Template = job.RequiredString("template"),
            Size = ReadSize(job),
            Data = data,
            InlineItems = inline,
            ItemsPath = job.String("items"),
            Output = output,
            Alt = alt,
            Variants = variants,
            TagVariant = tagVariant,
            Encoder = ReadEncoder(job),
            Location = job.Location,
            OutputLocation = job.LocationOf("output"),
            TemplateLocation = job.Has("template") ? job.LocationOf("template") : job.Location,
            DataLocation = job.LocationOf("data"),
            AltLocation = alt is null ? default : job.LocationOf("alt"),
        };
    }

    private static bool TopLevelComma(string glob)
    {
        var depth = 0;
        foreach (var ch in glob)
        {
            depth += ch switch { '{' => 1, '}' => -1, _ => 0 };
            if (ch == ',' && depth == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Items written in the configuration itself: JSON only (a front's typeless text has no item shape).</summary>
    private static List<DataItem> InlineItems(ConfigValue array)
    {
        var items = new List<DataItem>();
        var i = 0;
        foreach (var e in array.Items)
        {
            var item = new ConfigObject(e);
            var fields = ItemData.FromJson(e.Json ?? throw e.Error("'data' items must be written in the configuration's JSON"));
            var id = fields.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? s : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            items.Add(new DataItem(item.Location.File, item.Location.Line, id, fields));
            i++;
        }
        return items;
    }

    /// <summary>The encoder profile: how hard the encoders work for smaller files (see README, "Encoder settings").</summary>
    internal static EncoderProfile? ReadEncoder(ConfigObject o) => o.String("encoder") switch
    {
        null => null,
        "balanced" => EncoderProfile.Balanced,
        "fast" => EncoderProfile.Fast,
        "small" => EncoderProfile.Small,
        var other => throw o.Choice("encoder", other, "balanced", "fast", "small"),
    };

    private static CardSize? ReadSize(ConfigObject job)
    {
        switch (job.Raw("size"))
        {
            case null:
                return null;
            case { IsString: true } s:
                return CardSize.TryParse(s.StringValue!, out var parsed)
                    ? parsed
                    : throw s.Error($"'size' must look like \"1200x630\" (1–8192 each way), not \"{s.StringValue}\"");
            default:
                var size = job.Object("size")!;
                size.AllowOnly("width", "height");
                var w = size.Integer("width", 1, 8192) ?? throw job.Error("size", "'size' needs 'width' and 'height'");
                var h = size.Integer("height", 1, 8192) ?? throw job.Error("size", "'size' needs 'width' and 'height'");
                return new CardSize((int)w, (int)h);
        }
    }

    internal static VariantConfig ReadVariant(ConfigObject v) => ReadVariant(v, photo: false);

    internal static VariantConfig ReadVariant(ConfigObject v, bool photo)
    {
        if (photo)
        {
            v.AllowOnly("format", "width", "maxSide", "aspect", "crop", "chroma", "quality", "maxBytes", "minQuality", "suffix", "effort");
        }
        else
        {
            v.AllowOnly("format", "width", "quality", "maxBytes", "minQuality", "suffix", "effort");
        }
        var format = v.String("format") switch
        {
            "webp" => ImageFormat.WebP,
            "jpeg" or "jpg" => ImageFormat.Jpeg,
            "png" => ImageFormat.Png,
            "avif" => ImageFormat.Avif,
            null => throw v.Error("format", "a variant needs 'format': webp, jpeg, png or avif"),
            var other => throw v.Choice("format", other, "webp", "jpeg", "png", "avif"),
        };
        var quality = (int?)v.Integer("quality", 1, 100);
        var minQuality = (int)(v.Integer("minQuality", 1, 100) ?? Math.Min(40, quality ?? 40));
        if (quality is { } q && minQuality > q)
        {
            throw v.Error("minQuality", $"'minQuality' ({minQuality}) is above 'quality' ({q})");
        }
        var suffix = v.String("suffix");
        if (suffix is not null && (suffix.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0 || suffix.Contains("..", StringComparison.Ordinal)))
        {
            throw v.Error("suffix", $"'suffix' must not contain path separators, '..' or any of : * ? \" < > |");
        }
        return new VariantConfig
        {
            Format = format,
            Width = (int?)v.Integer("width", 1, 8192),
            Quality = quality,
            MaxBytes = v.Integer("maxBytes", 1, long.MaxValue),
            MinQuality = minQuality,
            Suffix = suffix,
            Effort = (int?)v.Integer("effort", 0, format == ImageFormat.Avif ? 9 : 6),
            Shape = photo ? PhotoJobReader.Shape(v) : null,
            Location = v.Location,
        };
    }
}
