namespace BuildImages.Benchmarks;

/// <summary>What every bench mode needs: the repository root and order statistics of timings.</summary>
internal static class BenchSupport
{
    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "BuildImages.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The median (the mean of the middle two for an even count); NaN for none.</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    internal static double Percentile(IEnumerable<double> values, double p)
    {
        var s = values.Order().ToList();
        return s[(int)Math.Min(s.Count - 1, Math.Floor(p * s.Count))];
    }
}
