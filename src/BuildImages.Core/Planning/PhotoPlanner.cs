using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoding;

namespace BuildImages.Core.Planning;

/// <summary>
/// A photos job → one planned item per source file: its outputs keep the source's path relative to the job's
/// base folder and its stem (<c>a/b.jpg</c> → <c>OUT/a/b.webp</c>, <c>b-960.webp</c> for a variant with a width).
/// Reads no image bytes: the pre-key covers the path and the settings, the file's content is the item's input set.
/// </summary>
internal static class PhotoPlanner
{
    /// <summary>The extensions a photos glob considers (a file of another kind in the folder is not a source).</summary>
    internal static readonly string[] Extensions = [".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heic", ".heif"];

    internal static IReadOnlyList<string> Sources(PhotoJobConfig photos) =>
        Directory.Exists(photos.BaseFolder)
            ? DataLoader.SourceFiles(photos.Sources, photos.BaseFolder).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && File.Exists(f)).ToList()
            : [];

    internal static List<PlannedCard> Plan(BuildConfig config, JobConfig job, KeyPaths paths, List<Diagnostic> problems, List<string> heldJobs)
    {
        var photos = job.Photos!;
        var files = Sources(photos);
        if (files.Count == 0)
        {
            problems.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.DataGlobEmpty, $"job '{job.Name}': sources '{photos.Sources}' in {photos.BaseFolder} matched no photos; the job's earlier outputs are kept", config.ConfigFile, job.Location.Line, job.Location.Column));
            heldJobs.Add(job.Name);
            return [];
        }
        var shapes = Shapes(config, job);
        var settings = ContentHash.OfParts("photo 1", photos.Settings.Describe())[..16];
        var cards = new List<PlannedCard>(files.Count);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(photos.BaseFolder, file).Replace('\\', '/');
            if (relative.Any(char.IsControl) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsafeOutputPath, $"job '{job.Name}': the photo is outside the job's base folder {photos.BaseFolder}, or its name holds control characters", file, Item: $"{job.Name}/{relative}"));
                continue;
            }
            var stem = relative[..^Path.GetExtension(relative).Length];
            var output = job.Output.Length == 0 ? stem : job.Output.TrimEnd('/', '\\').Replace('\\', '/') + "/" + stem;
            var sourceKey = paths.ToKey(file);
            var focus = photos.Focus.TryGetValue(relative, out var f) ? f : ((double X, double Y)?)null;
            var preKey = ContentHash.OfParts(sourceKey, settings, focus is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p.X},{p.Y}") : "-");
            var item = new DataItem(file, 0, relative, new Dictionary<string, object?>(StringComparer.Ordinal) { ["src"] = relative });
            cards.Add(new PlannedCard(job, null, "photo", item, default, output, null, preKey, shapes.Select(v => v with { Path = output + v.Path }).ToList())
            {
                Photo = new PlannedPhoto(sourceKey, file, focus, photos.OnError == PhotoErrorPolicy.CopyOriginal ? output + Path.GetExtension(relative).ToLowerInvariant() : null),
            });
        }
        return cards;
    }

    /// <summary>Variant shapes with the path suffix: "-WIDTH" for a variant with a width, nothing for one sized by its longest side.</summary>
    private static List<PlannedVariant> Shapes(BuildConfig config, JobConfig job)
    {
        var shapes = new List<PlannedVariant>();
        foreach (var v in job.Variants)
        {
            var shape = v.Shape ?? new Imaging.PhotoShape(v.Width, null, null, Imaging.PhotoCrop.Attention);
            var encode = new EncodeOptions(v.Format, v.QualityOrDefault, v.Effort, job.Encoder ?? config.Encoder);
            var suffix = v.Suffix ?? (shape.Width is { } w ? "-" + w.ToString(CultureInfo.InvariantCulture) : string.Empty);
            var planned = new PlannedVariant(suffix + encode.Extension, shape.Width ?? shape.MaxSide ?? 0, 0, encode, v.MaxBytes, v.MinQuality) { Shape = shape };
            if (shapes.Any(s => string.Equals(s.Path, planned.Path, StringComparison.OrdinalIgnoreCase)))
            {
                throw CardException.Error(DiagnosticCodes.OutputCollision, $"job '{job.Name}': two variants would both be named '*{planned.Path}'; give one a 'suffix'", config.ConfigFile, v.Location.Line, v.Location.Column);
            }
            shapes.Add(planned);
        }
        return shapes;
    }
}
