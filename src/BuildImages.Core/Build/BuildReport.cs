using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Build;

/// <summary>The outcome of a build: counts, bytes, time per stage, what a per-request API would have cost, every output and error.</summary>
public sealed record BuildReport
{
    public int Rendered { get; init; }

    public int Skipped { get; init; }

    /// <summary>Outputs taken from the remote cache (verified) instead of rendered.</summary>
    public int Fetched { get; init; }

    public int Deduplicated { get; init; }

    public int Pruned { get; init; }

    /// <summary>Outputs not written because their item failed.</summary>
    public int Failed { get; init; }

    public long BytesWritten { get; init; }

    /// <summary>An unpublish (<see cref="BuildOptions.RemoveItems"/>): how many of the items named had outputs to remove.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Unpublished { get; init; }

    public bool Cancelled { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Nothing changed since the last complete build, confirmed from its record without planning or reading the manifest.</summary>
    public bool UpToDate { get; init; }

    public double WallMilliseconds { get; init; }

    /// <summary>The shared decoded-image cache: hits, misses (decodes) and bytes held at the end; null when nothing was rendered.</summary>
    public Assets.ImageCacheStats? ImageCache { get; init; }

    /// <summary>The remote cache's hits, misses, bytes and time; null when the build used none (or had nothing to render).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Caching.RemoteCacheStats? RemoteCache { get; init; }

    /// <summary>How many times written outputs were flushed to disk (once per manifest save that followed writes), and how many files that covered.</summary>
    public int Flushes { get; init; }

    public int FlushedFiles { get; init; }

    /// <summary>Milliseconds per stage, summed over workers.</summary>
    public required IReadOnlyDictionary<string, double> Stages { get; init; }

    public required ApiCost Cost { get; init; }

    public required IReadOnlyList<ReportOutput> Outputs { get; init; }

    /// <summary>Photo outputs written this build: bytes, pixels and vision tokens before and after.</summary>
    public IReadOnlyList<PhotoSaving> Photos { get; init; } = [];

    /// <summary>Vision tokens and cost before and after, per model, over <see cref="Photos"/>.</summary>
    public IReadOnlyList<VisionTotal> Vision { get; init; } = [];

    public required IReadOnlyList<ReportError> Errors { get; init; }

    public required IReadOnlyList<ReportError> Warnings { get; init; }

    /// <summary>
    /// With <see cref="BuildOptions.ListFiles"/>: every output file the manifest names after this build (written now or
    /// kept from before; relative to the output folder, by the name actually written), in order. Not in the JSON report.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> RecordedFiles { get; init; } = [];

    /// <summary>With <see cref="BuildOptions.ListFiles"/>: every file those outputs were made from (data, templates, fonts, images), full paths, in order. Not in the JSON report.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> InputFiles { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.BuildReport);

    /// <summary>Streams the JSON report (compact: a 40,000-output report is never held as one string).</summary>
    public void WriteJson(Stream stream) => JsonSerializer.Serialize(stream, this, ReportJsonContext.Default.BuildReport);

    /// <summary>The build in one line, for a front's default verbosity: "16 files, 2 rendered, 14 current, 0.41 s".</summary>
    public string OneLine()
    {
        var ci = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ci, $"{Outputs.Count(o => o.Status != OutputStatus.Pruned)} files"), string.Create(ci, $"{Rendered} rendered"), string.Create(ci, $"{Skipped} current") };
        if (Fetched > 0)
        {
            parts.Add(string.Create(ci, $"{Fetched} fetched"));
        }
        if (Deduplicated > 0)
        {
            parts.Add(string.Create(ci, $"{Deduplicated} copied"));
        }
        if (Pruned > 0)
        {
            parts.Add(string.Create(ci, $"{Pruned} pruned"));
        }
        if (Failed > 0)
        {
            parts.Add(string.Create(ci, $"{Failed} failed"));
        }
        parts.Add(string.Create(ci, $"{WallMilliseconds / 1000:0.00} s"));
        return string.Join(", ", parts) + (Cancelled ? " (cancelled)" : string.Empty);
    }

    /// <summary>The human summary printed at the end; with <paramref name="process"/>, the time is the whole process's (start-up, build, report).</summary>
    public string Summary(ProcessTiming? process = null)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"{(DryRun ? "would render" : "rendered")} {Rendered}, {(Fetched > 0 ? string.Create(ci, $"fetched {Fetched}, ") : string.Empty)}skipped {Skipped}, de-duplicated {Deduplicated}, pruned {Pruned}, failed {Failed}");
        sb.Append(process is { } p
            ? string.Create(ci, $"; {FormatBytes(BytesWritten)} written in {p.TotalMilliseconds / 1000:0.00} s (build {WallMilliseconds / 1000:0.00} s, report {p.ReportMilliseconds / 1000:0.00} s, start-up {Math.Max(0, p.TotalMilliseconds - WallMilliseconds - p.ReportMilliseconds) / 1000:0.00} s)")
            : string.Create(ci, $"; {FormatBytes(BytesWritten)} written in {WallMilliseconds / 1000:0.00} s"));
        if (Cancelled)
        {
            sb.Append(" (cancelled)");
        }
        if (UpToDate)
        {
            sb.Append(" (up to date: nothing changed since the last build)");
        }
        sb.AppendLine();
        if (RemoteCache is { } remote)
        {
            sb.Append(ci, $"remote cache: {remote.Hits} fetched, {remote.Misses} not found, {remote.Uploads} stored; {FormatBytes(remote.BytesDown)} down, {FormatBytes(remote.BytesUp)} up in {remote.Milliseconds / 1000:0.00} s (summed over workers)");
            sb.AppendLine(remote.Off ? "; turned off after failed requests" : remote.Corrupt + remote.Unsigned > 0 ? string.Create(ci, $"; {remote.Corrupt} corrupt and {remote.Unsigned} unsigned entries ignored") : string.Empty);
        }
        sb.Append("time per stage (summed over workers): ");
        sb.AppendLine(string.Join(", ", Stages.Where(s => s.Value > 0).Select(s => string.Create(ci, $"{s.Key} {s.Value:0} ms"))));
        if (ImageCache is { Hits: > 0 } or { Misses: > 0 })
        {
            sb.AppendLine(string.Create(ci, $"images: {ImageCache.Misses} decoded, {ImageCache.Hits} reused ({ImageCache.HitRate * 100:0}% hit rate), {FormatBytes(ImageCache.Bytes)} held"));
        }
        if (Photos.Count > 0)
        {
            var before = Photos.Sum(p => p.SourceBytes);
            var after = Photos.Sum(p => p.Bytes);
            sb.AppendLine(string.Create(ci, $"photos: {Photos.Count} outputs, {FormatBytes(after)} from sources of {FormatBytes(before)} summed per output"));
            foreach (var v in Vision)
            {
                sb.AppendLine(string.Create(ci, $"  {v.Provider} {v.Model}: {v.TokensBefore:N0} → {v.TokensAfter:N0} tokens ({v.ReductionPercent:0.#}% fewer), {v.CostBefore:0.####} → {v.CostAfter:0.####} USD at {v.PricePerMillion} per million"));
            }
        }
        sb.Append(ci, $"renders avoided {Cost.RendersAvoided} of {Cost.Outputs}: {Cost.Saved:0.00####} saved at {Cost.PricePerRender:0.00####} per render through a per-request image API");
        return sb.ToString();
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MiB"),
    };
}

/// <summary>A front's whole-process time: from the process's start to the summary, and the part spent writing the report file.</summary>
public sealed record ProcessTiming(double TotalMilliseconds, double ReportMilliseconds);

/// <summary>What the same outputs would cost through a per-request image API.</summary>
public sealed record ApiCost(decimal PricePerRender, int Outputs, int RendersAvoided)
{
    /// <summary>Renders avoided × price.</summary>
    public decimal Saved => RendersAvoided * PricePerRender;

    /// <summary>Every output rendered per request once.</summary>
    public decimal AllThroughApi => Outputs * PricePerRender;
}

/// <summary>
/// One output's outcome. <see cref="File"/> is the file written (it differs from <see cref="Path"/> under
/// <c>cacheBust: fileName</c>) and <see cref="Url"/> its site URL as images.json gives it; both null for an output that
/// was not written (failed, pruned, a dry run).
/// </summary>
public sealed record ReportOutput(string Path, string Item, OutputStatus Status, int Width, int Height, string Format, long Bytes, string? Key, string? Reason)
{
    public string? File { get; init; }

    public string? Url { get; init; }
}

/// <summary>An error or warning as the report and hook answers give it: the item, where (file, line, column), the BI code and the words.</summary>
public sealed record ReportError(string? Item, string? File, int Line, int Column, string Code, string Message)
{
    public static ReportError From(Diagnostic d) => new(d.Item, d.File, d.Line, d.Column, d.Code, d.Message);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BuildReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
