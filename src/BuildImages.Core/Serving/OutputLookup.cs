using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Serving;

/// <summary>A rendered output the server may send: its file, type, key (the ETag) and content hash.</summary>
public sealed record ServedOutput(string FullPath, string Mime, string Key, string Sha256, long Bytes);

/// <summary>
/// Finds the file a <c>GET /cards/{path}</c> names, only among the outputs the manifest records (for one job, or any):
/// a path that is not canonical (<c>..</c>, a backslash, an absolute path), not recorded, or whose folder resolves
/// outside the output folder (a link) is not found. The manifest is read again only when its file changes.
/// </summary>
public sealed class OutputLookup(BuildConfig config)
{
    private readonly object _lock = new();
    private (DateTime Time, long Length) _stamp;
    private Dictionary<string, (string Job, VariantRecord Variant)> _byFile = new(StringComparer.Ordinal);

    /// <summary>The output, or null with why not (for a 400 when the path itself is refused, a 404 otherwise).</summary>
    /// <param name="job">The job the output must belong to, or null for any job's.</param>
    /// <param name="path">The file's path in the output folder.</param>
    public (ServedOutput? Output, bool BadPath) Find(string? job, string path)
    {
        // The manifest's own path check: canonical, relative, no '..', an image BuildImages writes.
        if (RecordPaths.Problem(path) is not null)
        {
            return (null, true);
        }
        if (!Index().TryGetValue(path, out var found) || (job is not null && found.Job != job))
        {
            return (null, false);
        }
        // A fresh check per request: a folder swapped for a link after an earlier request must not be served through.
        if (new OutputFolder(config.OutputDirectory).Escape(path) is not null)
        {
            return (null, false);
        }
        var full = Path.Combine(config.OutputDirectory, path);
        var info = new FileInfo(full);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return (null, false);
        }
        var v = found.Variant;
        return (new ServedOutput(full, v.Mime, v.Key, v.Sha256, info.Length), false);
    }

    private Dictionary<string, (string Job, VariantRecord Variant)> Index()
    {
        var file = new FileInfo(config.ManifestFile);
        var stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
        lock (_lock)
        {
            if (stamp != _stamp)
            {
                // Read a record at a time, keeping only each record's outputs (a hook build rewrites the manifest, and a
                // large site's records as objects were several kilobytes each). A key the file gives twice keeps its last
                // record, a damaged record is dropped, an unusable manifest serves nothing: as the build reads it.
                var byRecord = new Dictionary<string, (string Job, List<VariantRecord> Variants)>(StringComparer.Ordinal);
                var (inputs, _) = new ManifestStore(config.ManifestFile).Stream((key, record) =>
                {
                    if (record is null)
                    {
                        byRecord.Remove(key);
                        return;
                    }
                    byRecord[key] = (record.Job, record.Variants);
                });
                // A file two records name is served as the first record in key order names it (the manifest's own order).
                _byFile = inputs is null
                    ? new Dictionary<string, (string Job, VariantRecord Variant)>(StringComparer.Ordinal)
                    : byRecord.OrderBy(r => r.Key, StringComparer.Ordinal).SelectMany(r => r.Value.Variants.Select(v => (r.Value.Job, v)))
                        .GroupBy(p => p.v.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                _stamp = stamp;
            }
            return _byFile;
        }
    }
}
