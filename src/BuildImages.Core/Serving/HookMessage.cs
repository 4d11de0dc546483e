using BuildImages.Core.Data;

namespace BuildImages.Core.Serving;

/// <summary>What a hook request asks of a job: the action its event means, the event's name (null when the job names no event source), and the items (for an unpublish, only their ids count).</summary>
public sealed record HookMessage(HookAction Action, string? Event, IReadOnlyList<DataItem> Items);

/// <summary>What a hook's event means for the job.</summary>
public enum HookAction
{
    /// <summary>Render the items (or find them current).</summary>
    Publish,

    /// <summary>Remove the items' outputs, records and images.json entries.</summary>
    Unpublish,

    /// <summary>An event the job does not act on (a draft saved, another content type): acknowledged, nothing done.</summary>
    Ignore,
}
