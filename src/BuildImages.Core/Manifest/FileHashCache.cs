using System.Collections.Concurrent;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Content hashes of input files, trusted while size and write time are unchanged (so a no-op build reads
/// no font or image bytes), re-hashed otherwise (so touching a file changes nothing). One stat per file per build.
/// </summary>
internal sealed class FileHashCache(IReadOnlyDictionary<string, FileRecord> known, KeyPaths paths)
{
    private readonly ConcurrentDictionary<string, FileRecord?> _current = new(StringComparer.Ordinal);

    /// <summary>The file's hash now, or null if it is gone.</summary>
    public string? Hash(string keyPath) => Record(keyPath)?.Sha256;

    /// <summary>The file's size, time and hash as this build first saw them, or null if it is gone.</summary>
    public FileRecord? Record(string keyPath) => _current.GetOrAdd(keyPath, Compute);

    /// <summary>
    /// As <see cref="Record"/> for a file the build cannot do without (a photo's source): throws the IOException that
    /// says why it cannot be read (gone, not a regular file, not readable) instead of returning null.
    /// </summary>
    internal FileRecord Require(string keyPath)
    {
        if (Record(keyPath) is { } record)
        {
            return record;
        }
        var full = paths.ToFull(keyPath);
        if (FileStamp.Read(full) is null)
        {
            throw new FileNotFoundException($"'{full}' does not exist", full);
        }
        // Hashing it again raises the reason this build's first look returned none.
        _ = ContentHash.OfFile(full);
        throw new IOException($"'{full}' could not be read when the build first looked at it");
    }

    /// <summary>Every file looked at this build, for the next manifest.</summary>
    public Dictionary<string, FileRecord> Snapshot() =>
        _current.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    /// <summary>The file's record now: <paramref name="known"/> while size and time match, else hashed; null if it is gone.</summary>
    internal static FileRecord? Current(string fullPath, FileRecord? known)
    {
        if (FileStamp.Read(fullPath) is not { } stamp)
        {
            return null;
        }
        if (known is not null && known.Size == stamp.Size && known.ModifiedTicks == stamp.ModifiedTicks)
        {
            return known;
        }
        try
        {
            return new FileRecord(stamp.Size, stamp.ModifiedTicks, ContentHash.OfFile(fullPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private FileRecord? Compute(string keyPath) => Current(paths.ToFull(keyPath), known.GetValueOrDefault(keyPath));
}
