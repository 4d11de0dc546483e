using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// A configuration the task made from the project's buildimages.json (its first <see cref="OwnJobs"/> jobs) and its
/// SocialImage and ImageVariants items (one job each after those, with the item it came from). A diagnostic about this
/// text is put back where the user wrote it: an item's metadata in the project file, or the value in buildimages.json.
/// </summary>
internal sealed record ComposedConfig(byte[] Json, int OwnJobs, IReadOnlyList<(ITaskItem Item, string Type)> ItemJobs)
{
    /// <summary>The configuration's JSON property each item metadata becomes (the rest is the item's Include).</summary>
    private static readonly Dictionary<string, string> MetadataOf = new(StringComparer.Ordinal)
    {
        ["name"] = "Job", ["template"] = "Template", ["output"] = "OutputPattern", ["size"] = "Size", ["format"] = "Formats", ["width"] = "Widths",
        ["quality"] = "Quality", ["maxBytes"] = "MaxBytes", ["encoder"] = "Encoder", ["preset"] = "Preset", ["onError"] = "OnUnreadable",
    };

    /// <summary>
    /// The diagnostic where the mistake is written: <paramref name="composedFile"/> is the name the composed text was
    /// loaded under, <paramref name="ownText"/> the project's buildimages.json as written (null without one).
    /// </summary>
    internal Diagnostic Relocate(Diagnostic d, string composedFile, byte[]? ownText, string? projectFile)
    {
        if (!string.Equals(d.File, composedFile, StringComparison.Ordinal) || d.Line <= 0)
        {
            return d;
        }
        var pointer = new ConfigPositions(Json).PointerAt(d.Line, d.Column);
        var job = pointer is null ? -1 : JobIndex(pointer);
        if (pointer is not null && job >= OwnJobs && job - OwnJobs < ItemJobs.Count)
        {
            var (item, type) = ItemJobs[job - OwnJobs];
            var property = pointer[(pointer.LastIndexOf('/') + 1)..];
            var metadata = MetadataOf.GetValueOrDefault(property);
            var at = ProjectItemLocator.Find(item, type, type == "ImageVariants" && property == "output" ? "OutputFolder" : metadata, projectFile);
            var message = $"{type} '{item.ItemSpec}'{(metadata is null ? string.Empty : $" ({metadata})")}: {StripJob(d.Message)}";
            return at is var (file, line, column) ? d with { File = file, Line = line, Column = column, Message = message } : d with { File = projectFile ?? d.File, Line = 0, Column = 0, Message = message };
        }
        if (ownText is not null && pointer is not null && job < OwnJobs)
        {
            var (line, column) = new ConfigPositions(ownText).Of(pointer);
            return d with { Line = line, Column = column };
        }
        return d with { Line = 0, Column = 0 };
    }

    private static int JobIndex(string pointer)
    {
        var parts = pointer.Split('/');
        return parts.Length > 2 && parts[1] == "jobs" && int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1;
    }

    /// <summary>Messages begin "job 'SocialImage …': " for jobs made from items; the item is named instead.</summary>
    private static string StripJob(string message) =>
        message.StartsWith("job '", StringComparison.Ordinal) && message.IndexOf("': ", StringComparison.Ordinal) is > 0 and var end ? message[(end + 3)..] : message;
}
