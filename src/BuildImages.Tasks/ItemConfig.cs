using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// SocialImage items as configuration: each item (a data file or glob) becomes one job of a buildimages.json made
/// in memory, appended to the project's own buildimages.json when there is one, so items and files go through the
/// same validation (ConfigLoader) and give the same bytes and manifest as the tool. Metadata: Job (the job's name in images.json, default
/// "SocialImage " + the Include), Template (default
/// blog-post), OutputPattern (default og/{{ slug }}; MSBuild reserves the attribute name Output, so that one only as a
/// child element), Size, Formats (webp;jpeg), Widths, Quality, MaxBytes, Encoder (balanced, fast, small).
/// </summary>
internal static class ItemConfig
{
    /// <summary>The configuration's JSON text: the config file's with the items' jobs added, or a new one for the project.</summary>
    internal static byte[] Compose(string? configText, IReadOnlyList<ITaskItem> items, string? outputDirectory, string? baseUrl) =>
        Compose(configText, items, [], outputDirectory, baseUrl, null).Json;

    /// <summary>
    /// As above, with ImageVariants items (files MSBuild expanded from globs, grouped into photos jobs by <see cref="PhotoJobs"/>)
    /// relative to <paramref name="projectDirectory"/>; with the item each added job came from, so an error can be put back on it.
    /// </summary>
    internal static ComposedConfig Compose(string? configText, IReadOnlyList<ITaskItem> items, IReadOnlyList<ITaskItem> photos, string? outputDirectory, string? baseUrl, string? projectDirectory)
    {
        var root = configText is null ? new JsonObject() : JsonNode.Parse(configText, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        if (configText is null)
        {
            root["outputDir"] = string.IsNullOrEmpty(outputDirectory) ? "wwwroot" : outputDirectory;
            if (!string.IsNullOrEmpty(baseUrl))
            {
                root["baseUrl"] = baseUrl;
            }
        }
        var jobs = root["jobs"] as JsonArray ?? [];
        root["jobs"] = jobs;
        var own = jobs.Count;
        var sources = new List<(ITaskItem Item, string Type)>();
        // MSBuild expands a glob in Include into one item per file: items that name one Job with the same metadata are
        // that job's data files together. Items naming one Job with other metadata stay apart, and the configuration's
        // check reports the second job of that name on its item.
        foreach (var group in items.GroupBy(JobKey, StringComparer.Ordinal))
        {
            var first = group.First();
            var job = Job(first);
            if (group.Skip(1).Any())
            {
                job["data"] = new JsonArray([.. group.Select(i => (JsonNode?)JsonValue.Create(i.ItemSpec.Replace('\\', '/')))]);
            }
            jobs.Add(job);
            sources.Add((first, "SocialImage"));
        }
        foreach (var (job, first) in PhotoJobs(photos, projectDirectory ?? Directory.GetCurrentDirectory()))
        {
            jobs.Add(job);
            sources.Add((first, "ImageVariants"));
        }
        // Indented: each value on a line of its own, so a position in it names one value.
        return new ComposedConfig(Encoding.UTF8.GetBytes(root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })), own, sources);
    }

    /// <summary>The SocialImage metadata that shape a job.</summary>
    private static readonly string[] JobMetadata = ["Template", "OutputPattern", "Output", "Size", "Encoder", "Formats", "Widths", "Quality", "MaxBytes"];

    /// <summary>Items with equal keys make one job: those that name a Job, with equal metadata; any other item is a job of its own.</summary>
    private static string JobKey(ITaskItem item) => item.GetMetadata("Job") is { Length: > 0 } name
        ? string.Join('\n', [name, .. JobMetadata.Select(item.GetMetadata)])
        : "\0" + item.ItemSpec;

    private static JsonObject Job(ITaskItem item)
    {
        string? Meta(string name) => item.GetMetadata(name) is { Length: > 0 } v ? v : null;
        var job = new JsonObject
        {
            // Job names the job for images.json readers (<social-image job="posts">); default: the item itself.
            ["name"] = Meta("Job") ?? "SocialImage " + item.ItemSpec,
            ["template"] = Meta("Template") ?? "blog-post",
            ["data"] = item.ItemSpec.Replace('\\', '/'),
            ["output"] = Meta("OutputPattern") ?? Meta("Output") ?? "og/{{ slug }}",
        };
        if (Meta("Size") is { } size)
        {
            job["size"] = size;
        }
        if (Meta("Encoder") is { } encoder)
        {
            job["encoder"] = encoder;
        }
        var formats = (Meta("Formats") ?? "webp;jpeg").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var widths = Meta("Widths")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [string.Empty];
        var variants = Variants(formats, widths, Meta("Quality"), Meta("MaxBytes"));
        job["variants"] = variants;
        return job;
    }

    /// <summary>
    /// ImageVariants items → photos jobs. MSBuild has already expanded the glob into files; each file's base folder is
    /// its directory without %(RecursiveDir), so <c>wwwroot/photos/**/*.jpg</c> names <c>photos/a/b.jpg</c> as
    /// <c>a/b</c>, as the tool does. Files with the same base and metadata are one job. Metadata: Preset (default web),
    /// Widths and Formats (instead of a preset), Quality, MaxBytes, OutputFolder (default img), OnUnreadable (the photos job's onError), Encoder.
    /// </summary>
    internal static IEnumerable<(JsonObject Job, ITaskItem First)> PhotoJobs(IReadOnlyList<ITaskItem> photos, string projectDirectory)
    {
        string[] keys = ["Preset", "Widths", "Formats", "Quality", "MaxBytes", "OutputFolder", "OnUnreadable", "Encoder"];
        var groups = photos.GroupBy(item =>
        {
            var full = Path.GetFullPath(Path.Combine(projectDirectory, item.ItemSpec));
            var recursive = item.GetMetadata("RecursiveDir").Replace('\\', '/');
            var folder = Path.GetDirectoryName(full)!.Replace('\\', '/');
            var baseFolder = recursive.Length > 0 && (folder + "/").EndsWith(recursive, StringComparison.Ordinal) ? folder[..^(recursive.TrimEnd('/').Length + 1)] : folder;
            return (Base: baseFolder, Meta: string.Join("|", keys.Select(item.GetMetadata)));
        }).OrderBy(g => g.Key.Base, StringComparer.Ordinal).ThenBy(g => g.Key.Meta, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var first = group.First();
            string? Meta(string name) => first.GetMetadata(name) is { Length: > 0 } v ? v : null;
            var baseRelative = Path.GetRelativePath(projectDirectory, group.Key.Base).Replace('\\', '/');
            var name = "ImageVariants " + baseRelative;
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"ImageVariants {baseRelative} #{n}";
            }
            var files = group.Select(i => Path.GetRelativePath(group.Key.Base, Path.GetFullPath(Path.Combine(projectDirectory, i.ItemSpec))).Replace('\\', '/')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var job = new JsonObject
            {
                ["name"] = name,
                ["kind"] = "photos",
                ["base"] = group.Key.Base,
                ["sources"] = new JsonArray(files.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
                ["output"] = Meta("OutputFolder") ?? "img",
            };
            // Not "OnError": MSBuild reserves that name (MSB4118), so the documented metadata could never be set.
            if (Meta("OnUnreadable") is { } onError)
            {
                job["onError"] = onError;
            }
            if (Meta("Encoder") is { } encoder)
            {
                job["encoder"] = encoder;
            }
            if (Meta("Widths") is null && Meta("Formats") is null)
            {
                job["preset"] = Meta("Preset") ?? "web";
            }
            else
            {
                var variants = Variants(
                    (Meta("Formats") ?? "webp;jpeg").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    (Meta("Widths") ?? "960").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Meta("Quality"),
                    Meta("MaxBytes"));
                job["variants"] = variants;
            }
            yield return (job, first);
        }
    }

    /// <summary>Each format at each width (an empty width: the card's own).</summary>
    private static JsonArray Variants(IEnumerable<string> formats, IReadOnlyList<string> widths, string? quality, string? maxBytes)
    {
        var variants = new JsonArray();
        foreach (var format in formats)
        {
            foreach (var width in widths)
            {
                var variant = new JsonObject { ["format"] = format };
                // Numbers that are not numbers stay strings, so the configuration's own check names them.
                if (width.Length > 0)
                {
                    variant["width"] = Number(width);
                }
                if (quality is not null)
                {
                    variant["quality"] = Number(quality);
                }
                if (maxBytes is not null)
                {
                    variant["maxBytes"] = Number(maxBytes);
                }
                variants.Add(variant);
            }
        }
        return variants;
    }

    private static JsonNode Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text);
}
