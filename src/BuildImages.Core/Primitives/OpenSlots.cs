namespace BuildImages.Core.Primitives;

/// <summary>
/// Open addressing over an array of slots of any length (not a power of two): the hash is scaled to the length, a probe
/// goes on to the next slot and wraps. Sized never more than two thirds full: rounded up to a power of two instead, a
/// table was up to twice the memory (the pruner's index of three million items, 32 MB where 18 do).
/// </summary>
internal static class OpenSlots
{
    /// <summary>The slots for <paramref name="count"/> entries at most two thirds full, and at least <paramref name="minimum"/>.</summary>
    internal static int SizeFor(long count, int minimum) => (int)Math.Min(Array.MaxLength, Math.Max(minimum, (count * 3 / 2) + 1));

    /// <summary>The first slot <paramref name="hash"/> picks in <paramref name="slots"/> slots.</summary>
    internal static int First(int hash, int slots) => (int)(((ulong)(uint)hash * (ulong)slots) >> 32);

    /// <summary>The slot a probe looks at after <paramref name="slot"/>.</summary>
    internal static int Next(int slot, int slots) => slot + 1 == slots ? 0 : slot + 1;
}
