namespace BuildImages.Core.Diagnostics;

/// <summary>
/// "Did you mean …?" for a name that is not one of the known ones: the closest known name by edit distance (a swap of
/// two neighbours counts once, case is ignored), offered only when it is close for its length (one edit for names of
/// up to four characters, two up to eight, three beyond), so a guess is a real near-miss, not noise.
/// </summary>
internal static class NearestName
{
    /// <summary>The closest candidate, or null when none is close enough.</summary>
    public static string? Of(string given, IEnumerable<string> candidates)
    {
        var best = (Name: (string?)null, Distance: int.MaxValue);
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, given, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
            var distance = Distance(given, candidate);
            if (distance < best.Distance)
            {
                best = (candidate, distance);
            }
        }
        var allowed = given.Length <= 4 ? 1 : given.Length <= 8 ? 2 : 3;
        return best.Distance <= allowed ? best.Name : null;
    }

    /// <summary>"; did you mean 'x'?" or an empty string, to append to a message.</summary>
    public static string Hint(string given, IEnumerable<string> candidates) =>
        Of(given, candidates) is { } near && !string.Equals(near, given, StringComparison.Ordinal) ? $"; did you mean '{near}'?" : string.Empty;

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
