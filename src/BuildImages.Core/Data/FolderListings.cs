using System.IO.Enumeration;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace BuildImages.Core.Data;

/// <summary>
/// The folders a glob read, each with a hash of its entries (names, and whether each is a folder). A glob's matches
/// are decided by its patterns and by what those folders list, nothing else; so while every folder still lists the
/// same entries, the glob would match the same files, and a no-op need not glob again. Re-listing a folder is one
/// directory read and no stat per entry: a folder of 100,000 posts is listed in milliseconds, where the glob made a
/// string and an object for each and sorted them. The hash is a sum of each entry's, so the order the file system
/// lists them in does not matter.
/// </summary>
internal sealed class FolderListings
{
    private readonly Dictionary<string, UInt128> _folders = new(StringComparer.Ordinal);
    private int _reading;
    private bool _changedWhileRead;

    /// <summary>Every folder read, by full path, with the hash of its entries when read.</summary>
    internal IReadOnlyDictionary<string, UInt128> Folders => _folders;

    /// <summary>
    /// Whether the listings prove the glob's matches: every folder the glob began to read was read to its end, and none
    /// read twice listed other entries the second time (it changed during the glob, whose matches then came from two
    /// states of it).
    /// </summary>
    internal bool Complete => _reading == 0 && !_changedWhileRead;

    /// <summary>
    /// The hash of what <paramref name="folder"/> lists now, entries as the glob would see them and a missing folder as
    /// an empty one; null when it cannot be read (then nothing is proven).
    /// </summary>
    internal static UInt128? Current(string folder)
    {
        // As the glob's own enumeration (DirectoryInfo.EnumerateFileSystemInfos with its compatible options): hidden and
        // system entries too, an unreadable folder an exception; an entry is a folder as FileSystemInfo decides it.
        try
        {
            if (!Directory.Exists(folder))
            {
                return Empty;
            }
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
            var sum = Empty;
            foreach (var entry in new FileSystemEnumerable<UInt128>(folder, (ref FileSystemEntry e) => Entry(e.FileName, e.IsDirectory), options))
            {
                sum += entry;
            }
            return sum;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Wraps the folder a glob starts from, so that every folder the glob reads is listed here.</summary>
    internal DirectoryInfoBase Wrap(DirectoryInfoBase root) => new ListedFolder(root, this);

    private void Read(string folder, UInt128 entries)
    {
        _reading--;
        if (_folders.TryGetValue(folder, out var earlier) && earlier != entries)
        {
            _changedWhileRead = true;
        }
        _folders[folder] = entries;
    }

    private static UInt128 Empty => UInt128.Zero;

    private static UInt128 Entry(ReadOnlySpan<char> name, bool isFolder)
    {
        // The kind is in the hash: a file replaced by a folder of the same name changes what the glob walks.
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(name), seed: isFolder ? 1 : 0);
        // Never zero, so an entry always counts (a sum of zeros would hide one).
        return hash == UInt128.Zero ? UInt128.One : hash;
    }

    /// <summary>A folder whose enumeration, once read to its end, is hashed into the listings; its subfolders are wrapped too.</summary>
    private sealed class ListedFolder(DirectoryInfoBase inner, FolderListings listings) : DirectoryInfoBase
    {
        public override string Name => inner.Name;

        public override string FullName => inner.FullName;

        public override DirectoryInfoBase? ParentDirectory => inner.ParentDirectory is { } parent ? new ListedFolder(parent, listings) : null;

        public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
        {
            // A listing begun and never ended (an exception, or a reader that stopped early) leaves the listings incomplete.
            listings._reading++;
            var sum = Empty;
            foreach (var entry in inner.EnumerateFileSystemInfos())
            {
                var folder = entry as DirectoryInfoBase;
                sum += Entry(entry.Name, folder is not null);
                yield return folder is null ? entry : new ListedFolder(folder, listings);
            }
            // Keyed as the folder, not as a path to it: a root given with a trailing separator is the same folder.
            listings.Read(Path.TrimEndingDirectorySeparator(FullName), sum);
        }

        public override DirectoryInfoBase? GetDirectory(string path) => inner.GetDirectory(path) is { } folder ? new ListedFolder(folder, listings) : null;

        public override FileInfoBase? GetFile(string path) => inner.GetFile(path);
    }
}
