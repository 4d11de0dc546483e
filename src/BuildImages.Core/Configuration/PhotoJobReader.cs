using System.Globalization;
using BuildImages.Core.Encoders;
using BuildImages.Core.Imaging;
using BuildImages.Core.Markup;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Configuration;

/// <summary>Reads a job of kind <c>photos</c>: sources by glob, variants (its own or a preset's), and how files are treated.</summary>
internal static class PhotoJobReader
{
    internal static JobConfig Read(ConfigObject job, string baseDir, IReadOnlyDictionary<string, PhotoPreset> presets)
    {
        job.AllowOnly("name", "kind", "sources", "base", "output", "preset", "variants", "encoder", "background", "keepMetadata", "fastShrink", "onError", "animated", "maxPixels", "timeLimit", "picture", "sizes", "focus");
        var name = job.RequiredString("name");
        var sources = job.Raw("sources") switch
        {
            { IsString: true } one => one.StringValue!,
            { Kind: ConfigKind.Array, Items: { Count: > 0 } many } when many.All(e => e.IsString) => "{" + string.Join(',', many.Select(e => e.StringValue)) + "}",
            null => throw job.Error("sources", $"photos job '{name}' needs 'sources': a glob such as \"photos/**/*.jpg\""),
            var other => throw other.Error($"'sources' must be a glob or a list of globs, not {other.Describe()}"),
        };
        var output = job.String("output") ?? string.Empty;
        if (Path.IsPathRooted(output) || output.StartsWith('/') || output.StartsWith('\\') || output.Replace('\\', '/').Split('/').Any(s => s == ".."))
        {
            throw job.Error("output", $"'output' must be a relative folder inside outputDir, without '..': '{output}'");
        }
        List<VariantConfig> variants;
        if (job.Has("variants"))
        {
            variants = job.Objects("variants").Select(v => ConfigLoader.ReadVariant(v, photo: true)).ToList();
            if (variants.Count == 0)
            {
                throw job.Error("variants", "'variants' must list at least one variant");
            }
        }
        else
        {
            var presetName = job.String("preset") ?? "web";
            variants = presets.TryGetValue(presetName, out var preset)
                ? [.. preset.Variants]
                : throw job.Error("preset", $"no photo preset is named '{presetName}' (presets: {string.Join(", ", presets.Keys.Order(StringComparer.Ordinal))})");
        }
        var background = new Rgba(1, 1, 1, 1);
        if (job.String("background") is { } bg && !ColorParser.TryParse(bg, out background))
        {
            throw job.Error("background", $"'background' must be a colour such as \"#ffffff\", not '{bg}'");
        }
        var settings = new PhotoSettings
        {
            Background = background,
            KeepMetadata = job.Bool("keepMetadata") ?? false,
            FastShrink = job.Bool("fastShrink") ?? true,
            MaxPixels = job.Integer("maxPixels", 1, 1_000_000_000) ?? ImageProbe.DefaultMaxPixels,
            RefuseAnimated = job.String("animated") switch
            {
                null or "first-frame" => false,
                "refuse" => true,
                var other => throw job.Choice("animated", other, "first-frame", "refuse"),
            },
            TimeLimit = TimeSpan.FromSeconds(job.Integer("timeLimit", 1, 3600) ?? 30),
        };
        var (baseFolder, pattern) = SplitGlob(sources, baseDir);
        if (job.String("base") is { } explicitBase)
        {
            // Names relative to this folder instead of the glob's fixed part (MSBuild items list files, not globs).
            baseFolder = Path.GetFullPath(Path.Combine(baseDir, explicitBase));
            pattern = sources;
        }
        return new JobConfig
        {
            Name = name,
            Template = "photos",
            Output = output,
            Variants = variants,
            Encoder = ConfigLoader.ReadEncoder(job),
            Photos = new PhotoJobConfig
            {
                Sources = pattern,
                BaseFolder = baseFolder,
                Settings = settings,
                OnError = job.String("onError") switch
                {
                    null or "fail" => PhotoErrorPolicy.Fail,
                    "stop" => PhotoErrorPolicy.Stop,
                    "skip" => PhotoErrorPolicy.Skip,
                    "copy-original" => PhotoErrorPolicy.CopyOriginal,
                    var other => throw job.Choice("onError", other, "fail", "stop", "skip", "copy-original"),
                },
                Picture = job.Bool("picture") ?? true,
                Sizes = job.String("sizes") ?? "100vw",
                Focus = ReadFocus(job),
            },
            Location = job.Location,
            OutputLocation = job.Has("output") ? job.LocationOf("output") : job.Location,
        };
    }

    /// <summary>"photos/**/*.jpg" → (full path of photos, "**/*.jpg"): names are relative to the folder before the first wildcard, so they never hold "..".</summary>
    internal static (string BaseFolder, string Pattern) SplitGlob(string sources, string baseDir)
    {
        var segments = sources.Replace('\\', '/').Split('/');
        var fixedCount = segments.TakeWhile(s => s.IndexOfAny(['*', '?', '[', '{']) < 0).Count();
        if (fixedCount == segments.Length)
        {
            // A folder: every file in it; a file: that file.
            var full = Path.GetFullPath(Path.Combine(baseDir, sources));
            return Directory.Exists(full) ? (full, "**/*") : (Path.GetDirectoryName(full)!, Path.GetFileName(full));
        }
        var prefix = string.Join('/', segments[..fixedCount]);
        var folder = Path.GetFullPath(Path.Combine(baseDir, prefix.Length == 0 ? "." : prefix));
        return (folder, string.Join('/', segments[fixedCount..]));
    }

    internal static PhotoShape Shape(ConfigObject v)
    {
        var width = (int?)v.Integer("width", 1, 16384);
        var maxSide = (int?)v.Integer("maxSide", 1, 16384);
        double? aspect = v.Raw("aspect") switch
        {
            null => null,
            { Kind: ConfigKind.Number } n when n.TryNumber<double>(NumberStyles.Float, out var d) && d is > 0.01 and < 100 => d,
            { IsString: true } s when ParseRatio(s.StringValue!) is { } r => r,
            _ => throw v.Error("aspect", "'aspect' must be a ratio such as \"1:1\", \"4:3\" or 1.5"),
        };
        var crop = v.String("crop") switch
        {
            null or "attention" => PhotoCrop.Attention,
            "entropy" => PhotoCrop.Entropy,
            "centre" or "center" => PhotoCrop.Centre,
            "focal" => PhotoCrop.Focal,
            var other => throw v.Choice("crop", other, "attention", "entropy", "centre", "focal"),
        };
        var subsample = v.String("chroma") switch
        {
            null or "420" => true,
            "444" => false,
            var other => throw v.Choice("chroma", other, "420", "444"),
        };
        return new PhotoShape(width, maxSide, aspect, crop, subsample);
    }

    private static double? ParseRatio(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
            && w > 0 && h > 0 && w / h is > 0.01 and < 100
            ? w / h
            : null;
    }

    /// <summary>"focus": { "shoes/red.jpg": [0.3, 0.6] }: the point (fractions of width and height) a focal crop keeps.</summary>
    private static Dictionary<string, (double X, double Y)> ReadFocus(ConfigObject job)
    {
        var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        if (job.Raw("focus") is not { Kind: ConfigKind.Object } focus)
        {
            return job.Has("focus") ? throw job.Error("focus", "'focus' must map photo paths to [x, y] fractions") : result;
        }
        foreach (var (path, value) in focus.Properties)
        {
            var xy = value.Items.Select(e => e.Kind == ConfigKind.Number && e.TryNumber<double>(NumberStyles.Float, out var f) && f is >= 0 and <= 1 ? f : double.NaN).ToList();
            if (value.Kind != ConfigKind.Array || xy.Count != 2 || xy.Any(double.IsNaN))
            {
                throw job.Error("focus", $"'focus' of '{path}' must be [x, y] with each between 0 and 1");
            }
            result[path.Replace('\\', '/')] = (xy[0], xy[1]);
        }
        return result;
    }
}
