using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>The files a build keeps beside its manifest, listed in one place for every front (what to clean, watch or not treat as an input).</summary>
public static class BookkeepingFiles
{
    /// <summary>
    /// The manifest, its machine-local stat cache, the up-to-date record and the pending-outputs journal; beside a
    /// database manifest also SQLite's rollback journal (there while a save runs, and after a crash in one until the
    /// next build opens the database and rolls it back: never to be removed or published).
    /// </summary>
    public static IReadOnlyList<string> Of(string manifestFile) =>
        [manifestFile, StatCache.PathFor(manifestFile), UpToDateRecord.PathFor(manifestFile), OutputJournal.PathFor(manifestFile), .. ManifestDatabase.IsDatabase(manifestFile) ? [manifestFile + "-journal"] : Array.Empty<string>()];
}
