using BuildImages.Core.Encoders;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Checks the paths a manifest or stat cache names before a build acts on them. Those files may come from a CI
/// cache or a hand edit; a record that names '../x', an absolute path, or anything but an image BuildImages could
/// have written would otherwise be deleted by prune or replaced by a write. Such a record is dropped, never acted on.
/// </summary>
internal static class RecordPaths
{
    // A photo copied unchanged (onError: copy-original) keeps its source's extension.
    private static readonly HashSet<string> ImageExtensions = new(
        Enum.GetValues<ImageFormat>().Select(f => new EncodeOptions(f).Extension).Concat(PhotoPlanner.Extensions), StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the record cannot be trusted with the output folder, or null when every path it names is one the planner could have made.</summary>
    internal static string? Problem(ItemRecord record)
    {
        if (record.Variants is null)
        {
            return "it lists no variants";
        }
        foreach (var v in record.Variants)
        {
            if ((v is null ? "it has an empty variant" : Problem(v.Path) ?? Problem(v.File)) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>Why an output path read from a file is unsafe: not in the planner's canonical form, or not an image file name.</summary>
    internal static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "it names an empty path";
        }
        var (canonical, problem) = OutputPathRules.Check(path);
        if (problem is not null)
        {
            return problem;
        }
        if (!string.Equals(canonical, path, StringComparison.Ordinal))
        {
            return $"'{path}' is not a path BuildImages writes (expected '{canonical}')";
        }
        return ImageExtensions.Contains(Path.GetExtension(path)) ? null : $"'{path}' is not an image file BuildImages writes";
    }
}
