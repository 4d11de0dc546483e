namespace BuildImages.Core.Configuration;

/// <summary>
/// How a job's publish hook turns a CMS payload into items (<c>"hooks": { "JOB": { "items": "…", "fields": { … } } }</c>):
/// <see cref="ItemsPath"/> is the dotted path to the item or the array of items in the body (none: the body is the
/// item or the array); <see cref="Fields"/> maps each item field to a dotted path inside the payload's item
/// (<c>"title": "fields.title.en-US"</c> for Contentful); without fields the payload's item is used as it is.
/// <see cref="OnDemand"/>: a <c>GET /cards</c> of a card of the job's own data that is not rendered yet renders it first.
/// </summary>
public sealed record HookMapping(string? ItemsPath, IReadOnlyDictionary<string, string> Fields, bool OnDemand = false)
{
    public static readonly HookMapping None = new(null, new Dictionary<string, string>(StringComparer.Ordinal));
}
