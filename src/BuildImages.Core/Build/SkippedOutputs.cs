using System.Collections;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>The report's outputs of a build the up-to-date record confirmed: each recorded output as skipped, made as it is read (the record streams them).</summary>
internal sealed class SkippedOutputs(IReadOnlyList<UpToDateOutput> outputs) : IReadOnlyList<ReportOutput>
{
    public int Count => outputs.Count;

    public ReportOutput this[int index] => Skipped(outputs[index]);

    public IEnumerator<ReportOutput> GetEnumerator() => outputs.Select(Skipped).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ReportOutput Skipped(UpToDateOutput o) => new(o.Path, o.Item, OutputStatus.Skipped, o.Width, o.Height, o.Mime, o.Bytes, o.Key, null);
}
