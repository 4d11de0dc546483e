using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Serving;

/// <summary>
/// One hook item's outcome: <c>rendered</c> (at least one output written), <c>skipped</c> (every output current),
/// or <c>failed</c> (with its errors); its outputs; and whether this request shared a render another request asked for.
/// </summary>
public sealed record HookItemResult(string Id, HookItemStatus Status, IReadOnlyList<ReportOutput> Files, IReadOnlyList<ReportError> Errors)
{
    public bool Coalesced { get; init; }

    internal static HookItemResult From(string job, string id, BuildReport report)
    {
        var name = $"{job}/{id}";
        var files = report.Outputs.Where(o => o.Item == name).ToList();
        var errors = report.Errors.Where(e => e.Item == name || e.Item is null).ToList();
        var status = errors.Count > 0 || files.Any(f => f.Status == OutputStatus.Failed) ? HookItemStatus.Failed
            : files.Any(f => f.Status is OutputStatus.Rendered or OutputStatus.Deduplicated or OutputStatus.Fetched) ? HookItemStatus.Rendered
            : HookItemStatus.Skipped;
        return new HookItemResult(id, status, files, errors);
    }

    internal static HookItemResult Failed(string id, Diagnostic error) => new(id, HookItemStatus.Failed, [], [ReportError.From(error)]);
}
