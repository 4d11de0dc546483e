using System.Collections.Concurrent;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Content hashes of input files, trusted while size and write time are unchanged (so a no-op build reads
/// no font or image bytes), re-hashed otherwise (so touching a file changes nothing). One stat per file per build.
/// </summary>
public sealed class FileHashCache(IReadOnlyDictionary<string, FileRecord> known, KeyPaths paths)
{
    private readonly ConcurrentDictionary<string, FileRecord?> _current = new(StringComparer.Ordinal);

    /// <summary>The file's hash now, or null if it is gone.</summary>
    public string? Hash(string keyPath) => _current.GetOrAdd(keyPath, Compute)?.Sha256;

    /// <summary>Every file looked at this build, for the next manifest.</summary>
    public Dictionary<string, FileRecord> Snapshot() =>
        _current.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    private FileRecord? Compute(string keyPath)
    {
        var info = new FileInfo(paths.ToFull(keyPath));
        if (!info.Exists)
        {
            return null;
        }
        var (size, ticks) = (info.Length, info.LastWriteTimeUtc.Ticks);
        if (known.TryGetValue(keyPath, out var record) && record.Size == size && record.ModifiedTicks == ticks)
        {
            return record;
        }
        try
        {
            return new FileRecord(size, ticks, ContentHash.OfFile(info.FullName));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
