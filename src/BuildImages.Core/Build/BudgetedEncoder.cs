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

    public static Result Encode(RenderedCard card, PlannedVariant variant)
    {
        var requested = variant.Encode;
        var first = VariantEncoder.Encode(card, requested);
        if (variant.MaxBytes is not { } max || first.Length <= max)
        {
            return new Result(first, requested.Quality, false);
        }
        if (requested.Format == ImageFormat.Png)
        {
            // PNG is lossless: there is no quality to trade.
            return new Result(first, requested.Quality, true);
        }
        var (low, high) = (variant.MinQuality, requested.Quality - 1);
        byte[]? best = null;
        var bestQuality = 0;
        byte[]? floor = null;
        while (low <= high)
        {
            var mid = (low + high + 1) / 2;
            var bytes = VariantEncoder.Encode(card, requested with { Quality = mid });
            if (mid == variant.MinQuality)
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
        floor ??= VariantEncoder.Encode(card, requested with { Quality = variant.MinQuality });
        return new Result(floor, variant.MinQuality, floor.Length > max);
    }
}
