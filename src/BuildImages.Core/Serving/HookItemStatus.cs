using System.Text.Json.Serialization;

namespace BuildImages.Core.Serving;

/// <summary>A hook item's outcome as a whole; in a hook's answer its lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HookItemStatus>))]
public enum HookItemStatus
{
    /// <summary>At least one output was written (drawn here, copied, or fetched from the remote cache: each file's status says which).</summary>
    [JsonStringEnumMemberName("rendered")]
    Rendered,

    /// <summary>Every output was current.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>The item failed; its errors say why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
