using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// SocialImage and ImageVariants items as configuration jobs: each made of <see cref="ConfigValue"/>s at the places
/// their metadata are written, added after the project's buildimages.json's own jobs (or making the configuration when
/// there is none), so items and files go through the same checks (ConfigLoader) and give the same bytes and manifest
/// as the tool. SocialImage metadata: Job (the job's name in images.json, default "SocialImage " + the Include),
/// Template (default blog-post), OutputPattern (default og/{{ slug }}; MSBuild reserves the attribute name Output, so
/// that one only as a child element), Size, Formats (webp;jpeg), Widths, Quality, MaxBytes, Encoder (balanced, fast, small).
/// </summary>
internal static class ItemConfig
{
    /// <summary>The SocialImage metadata that shape a job.</summary>
    private static readonly string[] JobMetadata = ["Template", "OutputPattern", "Output", "Size", "Encoder", "Formats", "Widths", "Quality", "MaxBytes"];

    /// <summary>
    /// The items' jobs. ImageVariants items are files MSBuild expanded from globs, grouped into photos jobs by
    /// <see cref="AddPhotoJobs"/>, relative to <paramref name="projectDirectory"/>.
    /// </summary>
    internal static ItemJobs Jobs(IReadOnlyList<ITaskItem> items, IReadOnlyList<ITaskItem> photos, string? projectFile, string projectDirectory)
    {
        var jobs = new ItemJobs(new ProjectItemLocator(projectFile), projectFile);
        // MSBuild expands a glob in Include into one item per file: items that name one Job with the same metadata are
        // that job's data files together. Items naming one Job with other metadata stay apart, and the configuration's
        // check reports the second job of that name on its item.
        foreach (var group in items.GroupBy(JobKey, StringComparer.Ordinal))
        {
            jobs.Add(CardJob(jobs, group.ToList()));
        }
        AddPhotoJobs(jobs, photos, projectDirectory);
        return jobs;
    }

    /// <summary>Items with equal keys make one job: those that name a Job, with equal metadata; any other item is a job of its own.</summary>
    private static string JobKey(ITaskItem item) => item.GetMetadata("Job") is { Length: > 0 } name
        ? string.Join('\n', [name, .. JobMetadata.Select(item.GetMetadata)])
        : "\0" + item.ItemSpec;

    private static ConfigValue CardJob(ItemJobs jobs, IReadOnlyList<ITaskItem> group)
    {
        var item = group[0];
        string? Meta(string name) => item.GetMetadata(name) is { Length: > 0 } v ? v : null;
        // Job names the job for images.json readers (<social-image job="posts">); default: the item itself.
        var name = Meta("Job") ?? "SocialImage " + item.ItemSpec;
        SourceLocation At(string? metadata) => jobs.Place(item, "SocialImage", metadata, name);
        var job = new List<KeyValuePair<string, ConfigValue>>
        {
            new("name", ConfigValue.Text(name, At("Job"))),
            new("template", ConfigValue.Text(Meta("Template") ?? "blog-post", At("Template"))),
            new("data", group.Count == 1
                ? ConfigValue.Text(item.ItemSpec.Replace('\\', '/'), At(null))
                : ConfigValue.List(group.Select(i => ConfigValue.Text(i.ItemSpec.Replace('\\', '/'), At(null))), At(null))),
            Meta("OutputPattern") is null && Meta("Output") is { } output
                ? new("output", ConfigValue.Text(output, At("Output")))
                : new("output", ConfigValue.Text(Meta("OutputPattern") ?? "og/{{ slug }}", At("OutputPattern"))),
        };
        if (Meta("Size") is { } size)
        {
            job.Add(new("size", ConfigValue.Text(size, At("Size"))));
        }
        if (Meta("Encoder") is { } encoder)
        {
            job.Add(new("encoder", ConfigValue.Text(encoder, At("Encoder"))));
        }
        job.Add(new("variants", Variants(Meta, At, "webp;jpeg", null)));
        return ConfigValue.Object(job, At(null));
    }

    /// <summary>
    /// ImageVariants items → photos jobs. MSBuild has already expanded the glob into files; each file's base folder is
    /// its directory without %(RecursiveDir), so <c>wwwroot/photos/**/*.jpg</c> names <c>photos/a/b.jpg</c> as
    /// <c>a/b</c>, as the tool does. Files with the same base and metadata are one job. Metadata: Preset (default web),
    /// Widths and Formats (instead of a preset), Quality, MaxBytes, OutputFolder (default img), OnUnreadable (the photos job's onError), Encoder.
    /// </summary>
    private static void AddPhotoJobs(ItemJobs jobs, IReadOnlyList<ITaskItem> photos, string projectDirectory)
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
            SourceLocation At(string? metadata) => jobs.Place(first, "ImageVariants", metadata, name);
            var files = group.Select(i => Path.GetRelativePath(group.Key.Base, Path.GetFullPath(Path.Combine(projectDirectory, i.ItemSpec))).Replace('\\', '/')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var job = new List<KeyValuePair<string, ConfigValue>>
            {
                new("name", ConfigValue.Text(name, At(null))),
                new("kind", ConfigValue.Text("photos", At(null))),
                new("base", ConfigValue.Text(group.Key.Base, At(null))),
                new("sources", ConfigValue.List(files.Select(f => ConfigValue.Text(f, At(null))), At(null))),
                new("output", ConfigValue.Text(Meta("OutputFolder") ?? "img", At("OutputFolder"))),
            };
            // Not "OnError": MSBuild reserves that name (MSB4118), so the documented metadata could never be set.
            if (Meta("OnUnreadable") is { } onError)
            {
                job.Add(new("onError", ConfigValue.Text(onError, At("OnUnreadable"))));
            }
            if (Meta("Encoder") is { } encoder)
            {
                job.Add(new("encoder", ConfigValue.Text(encoder, At("Encoder"))));
            }
            job.Add(Meta("Widths") is null && Meta("Formats") is null
                ? new("preset", ConfigValue.Text(Meta("Preset") ?? "web", At("Preset")))
                : new("variants", Variants(Meta, At, "webp;jpeg", "960")));
            jobs.Add(ConfigValue.Object(job, At(null)));
        }
    }

    /// <summary>Each format at each width (no width: the card's own); numbers stay text, so the configuration's own check names a wrong one.</summary>
    private static ConfigValue Variants(Func<string, string?> meta, Func<string?, SourceLocation> at, string formats, string? widths)
    {
        static string[] List(string text) => text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var variants = new List<ConfigValue>();
        var widthList = meta("Widths") is { } given ? List(given) : widths is null ? [string.Empty] : List(widths);
        foreach (var format in List(meta("Formats") ?? formats))
        {
            foreach (var width in widthList)
            {
                var one = new List<KeyValuePair<string, ConfigValue>> { new("format", ConfigValue.Text(format, at("Formats"))) };
                if (width.Length > 0)
                {
                    one.Add(new("width", ConfigValue.Text(width, at("Widths"))));
                }
                if (meta("Quality") is { } quality)
                {
                    one.Add(new("quality", ConfigValue.Text(quality, at("Quality"))));
                }
                if (meta("MaxBytes") is { } maxBytes)
                {
                    one.Add(new("maxBytes", ConfigValue.Text(maxBytes, at("MaxBytes"))));
                }
                variants.Add(ConfigValue.Object(one, at("Formats")));
            }
        }
        return ConfigValue.List(variants, at("Formats"));
    }
}
