namespace BuildImages.Core.Encoders;

/// <summary>
/// Fits one picture into a byte budget: the requested quality if it fits, else a binary search for the highest
/// quality between the floor and the request that fits (at most ~7 encodes), else the floor, marked over budget.
/// </summary>
internal static class BudgetSearch
{
    public readonly record struct Result(byte[] Bytes, int Quality, bool OverBudget);

    /// <summary>The search, over any encoder of one picture at a given quality (cards and photos share it).</summary>
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
