using BuildImages.Core.Imaging;

namespace BuildImages.Core.Build;

/// <summary>What right-sizing one photo output saved: bytes and pixels, and vision-API tokens and cost per model, before and after.</summary>
public sealed record PhotoSaving(string Path, string Source, long SourceBytes, int SourceWidth, int SourceHeight, long Bytes, int Width, int Height, IReadOnlyList<VisionEstimate> Vision)
{
    public double ReductionPercent => SourceBytes == 0 ? 0 : Math.Round(100.0 * (SourceBytes - Bytes) / SourceBytes, 1);
}

/// <summary>
/// One model's estimate for one photo. <see cref="ProviderResizesOriginal"/>: the original is larger than the
/// provider keeps, so it would be scaled down by the provider anyway (the extra upload bytes buy nothing, and
/// Anthropic documents that the resize adds to time-to-first-token).
/// </summary>
public sealed record VisionEstimate(string Provider, string Model, long TokensBefore, long TokensAfter, decimal CostBefore, decimal CostAfter, bool ProviderResizesOriginal, bool ProviderResizesOutput);

/// <summary>Totals per model over every photo output of a build.</summary>
public sealed record VisionTotal(string Provider, string Model, decimal PricePerMillion, long TokensBefore, long TokensAfter, decimal CostBefore, decimal CostAfter, string Source, string Read)
{
    public double ReductionPercent => TokensBefore == 0 ? 0 : Math.Round(100.0 * (TokensBefore - TokensAfter) / TokensBefore, 1);
}

internal static class PhotoSavingCalculator
{
    internal static PhotoSaving Make(string path, string source, long sourceBytes, ProcessedFile file, ProcessedPhoto photo, IReadOnlyList<VisionModel> models) =>
        Make(path, source, sourceBytes, (file.SourceWidth, file.SourceHeight), photo.Bytes.Length, (photo.Width, photo.Height), models);

    /// <summary>From sizes alone: a photo made here, or one fetched from the remote cache with its source size.</summary>
    internal static PhotoSaving Make(string path, string source, long sourceBytes, (int Width, int Height) sourceSize, long bytes, (int Width, int Height) size, IReadOnlyList<VisionModel> models) =>
        new(path, source, sourceBytes, sourceSize.Width, sourceSize.Height, bytes, size.Width, size.Height, models.Select(m =>
        {
            var (before, resizedBefore) = m.Estimate(sourceSize.Width, sourceSize.Height);
            var (after, resizedAfter) = m.Estimate(size.Width, size.Height);
            return new VisionEstimate(m.Provider, m.Model, before, after, m.Cost(before), m.Cost(after), resizedBefore, resizedAfter);
        }).ToList());

    internal static IReadOnlyList<VisionTotal> Totals(IReadOnlyList<PhotoSaving> savings, IReadOnlyList<VisionModel> models) =>
        savings.Count == 0 ? [] : models.Select(m =>
        {
            var rows = savings.SelectMany(s => s.Vision).Where(v => v.Model == m.Model).ToList();
            return new VisionTotal(m.Provider, m.Model, m.PricePerMillion, rows.Sum(r => r.TokensBefore), rows.Sum(r => r.TokensAfter), rows.Sum(r => r.CostBefore), rows.Sum(r => r.CostAfter), m.Source, m.Read);
        }).ToList();
}
