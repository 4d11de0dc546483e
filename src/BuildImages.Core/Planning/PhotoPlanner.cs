using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Planning;

/// <summary>
/// A photos job → one planned item per source file: its outputs keep the source's path relative to the job's
/// base folder and its stem (<c>a/b.jpg</c> → <c>OUT/a/b.webp</c>, <c>b-960.webp</c> for a variant with a width).
/// Reads no image bytes: the pre-key covers the path and the settings, the file's content is the item's input set.
/// Sources are confined: the base folder, and every source once its links are resolved, must be inside the
/// configuration's folder or an <c>assets</c> folder (a link leading elsewhere is refused by name, never read or
/// copied), and must be a regular file; the job's output folder may neither be, nor be inside, nor contain the base
/// folder (outputs would replace their sources, or be read back as sources by the next build). Output names pass the
/// rules card names pass (<see cref="OutputPathRules"/>) before anything is written.
/// </summary>
internal static class PhotoPlanner
{
    /// <summary>The extensions a photos glob considers (a file of another kind in the folder is not a source).</summary>
    internal static readonly string[] Extensions = [".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heic", ".heif"];

    /// <summary>What the job's glob matches with a photo's extension (a name that is not valid UTF-8 included: it is reported, not skipped).</summary>
    internal static IReadOnlyList<string> Sources(PhotoJobConfig photos) => Sources(photos, listings: null);

    /// <summary>As <see cref="Sources(PhotoJobConfig)"/>, adding every folder the glob reads to <paramref name="listings"/>.</summary>
    internal static IReadOnlyList<string> Sources(PhotoJobConfig photos, FolderListings? listings) =>
        Directory.Exists(photos.BaseFolder)
            ? DataLoader.SourceFiles(photos.Sources, photos.BaseFolder, listings).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Directory.Exists(f)).ToList()
            : [];

    internal static List<PlannedItem> Plan(BuildConfig config, JobConfig job, KeyPaths paths, DiagnosticList problems, List<string> heldJobs)
    {
        var photos = job.Photos!;
        var roots = Roots(config);
        var baseReal = CheckFolders(config, job, roots);
        var files = Sources(photos);
        if (files.Count == 0)
        {
            problems.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.DataGlobEmpty, $"job '{job.Name}': sources '{photos.Sources}' in {photos.BaseFolder} matched no photos; the job's earlier outputs are kept", job.Location.File, job.Location.Line, job.Location.Column));
            heldJobs.Add(job.Name);
            return [];
        }
        var shapes = Shapes(config, job).ToArray();
        var settings = ContentHash.OfParts("photo 1", photos.Settings.Describe())[..16];
        var cards = new List<PlannedItem>(files.Count);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(photos.BaseFolder, file).Replace('\\', '/');
            var name = $"{job.Name}/{Printable.Of(relative)}";
            if (relative.Any(char.IsControl) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsafeOutputPath, $"job '{job.Name}': the photo is outside the job's base folder {photos.BaseFolder}, or its name holds control characters", file, Item: name));
                continue;
            }
            if (SourceProblem(file, relative, roots, baseReal) is { } refused)
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.SourceOutsideRoots, $"job '{job.Name}': {refused}; it is not read", file, Item: name));
                continue;
            }
            var stem = relative[..^Path.GetExtension(relative).Length];
            // Checked as card names are, in their canonical (NFC) form, before anything is written: a name the manifest
            // would refuse next time (CON, a:b, *, <script>, U+202E) fails this photo now, and NFC/NFD twins collide.
            var (output, unsafeName) = OutputPathRules.Check(job.Output.Length == 0 ? stem : job.Output.TrimEnd('/', '\\').Replace('\\', '/') + "/" + stem);
            if (output is not null)
            {
                unsafeName ??= shapes.Select(v => OutputPathRules.Check(output + v.Path).Problem).FirstOrDefault(p => p is not null);
            }
            if (output is null || unsafeName is not null)
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsafeOutputPath, $"job '{job.Name}': photo '{Printable.Of(relative)}' cannot be named safely: {unsafeName}; rename it", file, Item: name));
                continue;
            }
            var sourceKey = paths.ToKey(file);
            var focus = photos.Focus.TryGetValue(relative, out var f) ? f : ((double X, double Y)?)null;
            var preKey = ContentHash.OfParts(sourceKey, settings, focus is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p.X},{p.Y}") : "-");
            var item = new DataItem(file, 0, relative, new Dictionary<string, object?>(StringComparer.Ordinal) { ["src"] = relative });
            cards.Add(new PlannedPhoto(job, item, output, preKey, new ItemVariants(output, shapes),
                new PhotoSource(sourceKey, file, focus, photos.OnError == PhotoErrorPolicy.CopyOriginal ? output + Path.GetExtension(relative).ToLowerInvariant() : null)));
        }
        return cards;
    }

    /// <summary>The folders photos may be read from, links resolved: the configuration's folder and the assets folders.</summary>
    private static List<string> Roots(BuildConfig config) =>
        config.AssetRoots.Prepend(config.BaseDirectory).Select(r => RealPath.Of(r)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The base folder, resolved, after checking it is inside a root and apart from the job's output folder: both are
    /// configuration errors, found before anything is read or written.
    /// </summary>
    private static string CheckFolders(BuildConfig config, JobConfig job, List<string> roots)
    {
        var photos = job.Photos!;
        var baseReal = RealPath.Of(photos.BaseFolder) ?? photos.BaseFolder;
        if (!roots.Any(r => RealPath.IsInside(baseReal, r)))
        {
            throw BuildInputException.Error(DiagnosticCodes.SourceOutsideRoots,
                $"job '{job.Name}': its photos are in {baseReal}, outside the configuration's folder and the 'assets' folders; add that folder to 'assets' to read photos from it",
                job.Location.File, job.Location.Line, job.Location.Column);
        }
        var output = RealPath.Of(Path.Combine(config.OutputDirectory, job.Output)) ?? Path.GetFullPath(Path.Combine(config.OutputDirectory, job.Output));
        var overlap = output == baseReal ? "is the photos' own folder"
            : RealPath.IsInside(output, baseReal) ? $"is inside the photos' folder {baseReal}"
            : RealPath.IsInside(baseReal, output) ? $"contains the photos' folder {baseReal}"
            : null;
        if (overlap is not null)
        {
            throw BuildInputException.Error(DiagnosticCodes.OutputOverSource,
                $"job '{job.Name}': the output folder {output} {overlap}: outputs would replace their sources, or be read back as sources by the next build; write them to a folder of their own",
                job.OutputLocation.File, job.OutputLocation.Line, job.OutputLocation.Column);
        }
        return baseReal;
    }

    /// <summary>Why a matched source must not be read: a link out of the roots or the base folder, not a regular file, or a name that is not UTF-8.</summary>
    private static string? SourceProblem(string file, string relative, List<string> roots, string baseReal)
    {
        if (!File.Exists(file))
        {
            // .NET shows bytes that are not UTF-8 as U+FFFD, and no file has that name: say so, never skip it silently.
            return relative.Contains('\uFFFD', StringComparison.Ordinal) ? $"the name of '{Printable.Of(relative)}' is not valid UTF-8 (rename the file)" : $"'{Printable.Of(relative)}' is gone";
        }
        var real = RealPath.Of(file);
        if (real is null)
        {
            return $"'{Printable.Of(relative)}' is a link that loops";
        }
        if (!RealPath.IsInside(real, baseReal) && !roots.Any(r => RealPath.IsInside(real, r)))
        {
            return $"'{Printable.Of(relative)}' is a link to {real}, outside the configuration's folder and the 'assets' folders";
        }
        if (Native.FileKind.IsSpecial(real))
        {
            return $"'{Printable.Of(relative)}' is not a regular file (a device, a pipe or a socket)";
        }
        return null;
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
                throw BuildInputException.Error(DiagnosticCodes.OutputCollision, $"job '{job.Name}': two variants would both be named '*{planned.Path}'; give one a 'suffix'", v.Location.File, v.Location.Line, v.Location.Column);
            }
            shapes.Add(planned);
        }
        return shapes;
    }
}
