using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>The files a build keeps beside its manifest, listed in one place for every front (what to clean, watch or not treat as an input).</summary>
public static class BookkeepingFiles
{
    /// <summary>The manifest, its machine-local stat cache, the up-to-date record and the pending-outputs journal.</summary>
    public static IReadOnlyList<string> Of(string manifestFile) =>
        [manifestFile, StatCache.PathFor(manifestFile), UpToDateRecord.PathFor(manifestFile), OutputJournal.PathFor(manifestFile)];
}
