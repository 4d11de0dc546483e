using BuildImages.Core.Encoding;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Build;

/// <summary>
/// Encodes a variant, fitting a byte budget when it has one: the requested quality if it fits, else a binary
/// search for the highest quality between the floor and the request that fits (at most ~7 encodes).
/// </summary>
public static class BudgetedEncoder
{
    public readonly record struct Result(byte[] Bytes, int Quality, bool OverBudget);

    public static Result Encode(RenderedCard card, PlannedVariant variant) =>
        Fit(q => VariantEncoder.Encode(card, variant.Encode with { Quality = q }), variant.Encode.Quality, variant.MinQuality, variant.MaxBytes, variant.Encode.Format == ImageFormat.Png);

    /// <summary>The search itself, over any encoder of one picture at a given quality (cards and photos share it).</summary>
    internal static Result Fit(Func<int, byte[]> encodeAt, int quality, int minQuality, long? maxBytes, bool lossless)
    {
        var first = encodeAt(quality);
        if (maxBytes is not { } max || first.Length <= max)
        {
            return new Result(first, quality, false);
        }
        if (lossless)
        {
            // PNG is lossless: there is no quality to trade.
            return new Result(first, quality, true);
        }
        var (low, high) = (minQuality, quality - 1);
        byte[]? best = null;
        var bestQuality = 0;
        byte[]? floor = null;
        while (low <= high)
        {
            var mid = (low + high + 1) / 2;
            var bytes = encodeAt(mid);
            if (mid == minQuality)
            {
                floor = bytes;
            }
            if (bytes.Length <= max)
            {
                (best, bestQuality, low) = (bytes, mid, mid + 1);
            }
            else
            {
                high = mid - 1;
            }
        }
        if (best is not null)
        {
            return new Result(best, bestQuality, false);
        }
        floor ??= encodeAt(minQuality);
        return new Result(floor, minQuality, floor.Length > max);
    }
}
