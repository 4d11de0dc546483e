using System.Text.Json.Serialization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>What happened to one output; in JSON (the report, hook answers) its lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputStatus>))]
public enum OutputStatus
{
    [JsonStringEnumMemberName("rendered")]
    Rendered,

    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("deduplicated")]
    Deduplicated,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("pruned")]
    Pruned,

    /// <summary>A photo that could not be read, copied unchanged (onError: copy-original).</summary>
    [JsonStringEnumMemberName("original")]
    Original,

    /// <summary>Taken from the remote cache, verified, instead of rendered.</summary>
    [JsonStringEnumMemberName("fetched")]
    Fetched,
}

/// <summary>One output's outcome, reported as it happens.</summary>
public sealed record OutputOutcome(string Path, string Item, OutputStatus Status, RenderReason? Reason, int Width, int Height, string Format, long Bytes, string? Key)
{
    // A build keeps its outcomes until its end: a rendered output's key is held as its 32 bytes, not a 64-digit string.
    private readonly Primitives.CompactKey _key = Primitives.CompactKey.From(Key);

    /// <summary>The output's key (64 hex digits for a rendered card variant), or null when it has none (a failed output).</summary>
    public string? Key
    {
        get => _key.Text;
        init => _key = Primitives.CompactKey.From(value);
    }
}

/// <summary>Receives a build's events; fronts turn them into progress bars, console lines or MSBuild messages. Called from worker threads.</summary>
public interface IBuildObserver
{
    /// <summary>The plan is checked: how many outputs there are and how many will be rendered.</summary>
    void Planned(int outputs, int toRender);

    void Output(OutputOutcome outcome);

    void Diagnostic(Diagnostic diagnostic);

    /// <summary>
    /// The up-to-date record confirmed every output (after <see cref="Planned"/> with nothing to render): all are
    /// skipped. The list reads the record as it is enumerated, never holding a million items' outputs; an observer that
    /// only counts takes its <c>Count</c>, so the no-op stays in the time of its checks. By default each output is told
    /// through <see cref="Output"/>.
    /// </summary>
    void UpToDate(IReadOnlyList<OutputOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Output(outcome);
        }
    }

    /// <summary>Something the user should see that is neither a problem nor an output (waiting for another build's lock).</summary>
    void Message(string text)
    {
    }
}

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullBuildObserver : IBuildObserver
{
    public static NullBuildObserver Instance { get; } = new();

    public void Planned(int outputs, int toRender)
    {
    }

    public void Output(OutputOutcome outcome)
    {
    }

    public void Diagnostic(Diagnostic diagnostic)
    {
    }

    public void UpToDate(IReadOnlyList<OutputOutcome> outcomes)
    {
    }
}
