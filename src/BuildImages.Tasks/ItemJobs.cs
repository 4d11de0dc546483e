using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// The jobs the task made from SocialImage and ImageVariants items, as configuration values at the places their
/// metadata are written in the project file, and the way back from a place to the item: the engine reports a mistake
/// at the place, and the task names the item and its metadata there ("SocialImage 'content/a.md' (Quality): …").
/// </summary>
internal sealed class ItemJobs(ProjectItemLocator locator, string? projectFile)
{
    private readonly List<ConfigValue> _jobs = [];
    private readonly Dictionary<SourceLocation, List<(ITaskItem Item, string Type, string? Metadata, string Job)>> _places = [];

    /// <summary>The places already looked up: one per item and metadata, however many values are written there.</summary>
    private readonly Dictionary<(ITaskItem Item, string Type, string? Metadata), SourceLocation> _found = [];

    internal IReadOnlyList<ConfigValue> Jobs => _jobs;

    internal void Add(ConfigValue job) => _jobs.Add(job);

    /// <summary>
    /// Where the item's metadata is written (null: the item itself; the item's element when the metadata is not written
    /// there), remembered with the job it went into for <see cref="Describe"/>.
    /// </summary>
    internal SourceLocation Place(ITaskItem item, string type, string? metadata, string jobName)
    {
        if (_found.TryGetValue((item, type, metadata), out var known))
        {
            return known;
        }
        var found = locator.Find(item, type, metadata);
        var at = found is { } f ? new SourceLocation(f.File, f.Line, f.Column) : new SourceLocation(projectFile ?? string.Empty, 0, 0);
        var element = metadata is null ? at : locator.Find(item, type, null) is { } e ? new SourceLocation(e.File, e.Line, e.Column) : at;
        if (!_places.TryGetValue(at, out var here))
        {
            _places[at] = here = [];
        }
        here.Add((item, type, metadata is not null && at != element ? metadata : null, jobName));
        _found[(item, type, metadata)] = at;
        return at;
    }

    /// <summary>
    /// A diagnostic at a place an item's metadata is written, worded for the item: the item and its metadata instead
    /// of the job the engine names. Several items written by one element (a glob) share its places: the job the
    /// message names picks the item.
    /// </summary>
    internal Diagnostic Describe(Diagnostic d)
    {
        if (d.File is null || !_places.TryGetValue(new SourceLocation(d.File, d.Line, d.Column), out var here))
        {
            return d;
        }
        var named = here.FirstOrDefault(p => d.Message.StartsWith($"job '{p.Job}': ", StringComparison.Ordinal));
        if (named.Item is null && d.Line == 0)
        {
            return d;
        }
        var (item, type, metadata, job) = named.Item is null ? here[0] : named;
        var message = d.Message.StartsWith($"job '{job}': ", StringComparison.Ordinal) ? d.Message[(job.Length + 8)..] : d.Message;
        return d with { Message = $"{type} '{item.ItemSpec}'{(metadata is null ? string.Empty : $" ({metadata})")}: {message}" };
    }
}
