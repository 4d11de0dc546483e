using System.IO.Enumeration;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace BuildImages.Core.Data;

/// <summary>
/// The folders a glob read, each with a hash of its entries (names, and whether each is a folder). A glob's matches
/// are decided by its patterns and by what those folders list, nothing else; so while every folder still lists the
/// same entries, the glob would match the same files, and a no-op need not glob again. Re-listing a folder is a
/// directory read with no stat and no object per entry, where globbing made strings for each match and sorted them.
/// The hash is a sum of each entry's, so the order the file system lists them in does not matter.
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
    /// The hash of what <paramref name="folder"/> lists now, entries as the glob sees them and a missing folder as an
    /// empty one; null when it cannot be read (then nothing is proven).
    /// </summary>
    internal static UInt128? Current(string folder)
    {
        try
        {
            if (!Directory.Exists(folder))
            {
                return Empty;
            }
            var sum = Empty;
            foreach (var entry in new FileSystemEnumerable<UInt128>(folder, (ref FileSystemEntry e) => Entry(e.FileName, e.IsDirectory), Options))
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

    /// <summary>The folder a glob starts from: every folder the glob reads through it is listed here.</summary>
    internal DirectoryInfoBase Root(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return new ListedFolder(full, Path.GetFileName(full), this);
    }

    /// <summary>
    /// As the glob's own enumeration did (DirectoryInfo.EnumerateFileSystemInfos, whose options these are): hidden and
    /// system entries too, an unreadable folder an exception; an entry is a folder as FileSystemInfo decides it (a link
    /// to a folder is one).
    /// </summary>
    private static EnumerationOptions Options => new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false, MatchType = MatchType.Win32 };

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

    /// <summary>
    /// A folder for the matcher, read straight from the file system: each entry is its name and kind, where
    /// <c>DirectoryInfoWrapper</c> made a <see cref="FileInfo"/> for each, and the matcher holds a folder's entries all at
    /// once (a no-op that globbed a million posts peaked at 606 MiB with it, 342 MiB with this). Its listing, once read to
    /// its end, is hashed into the listings.
    /// </summary>
    private sealed class ListedFolder(string fullName, string name, FolderListings listings) : DirectoryInfoBase
    {
        public override string Name => name;

        public override string FullName => fullName;

        public override DirectoryInfoBase? ParentDirectory =>
            Path.GetDirectoryName(fullName) is { } parent ? new ListedFolder(parent, Path.GetFileName(parent), listings) : null;

        public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
        {
            // A listing begun and never ended (an exception, or a reader that stopped early) leaves the listings incomplete.
            listings._reading++;
            var sum = Empty;
            // As DirectoryInfoWrapper: a folder that is not there lists nothing.
            if (Directory.Exists(fullName))
            {
                foreach (var (entry, isFolder) in new FileSystemEnumerable<(string, bool)>(fullName, (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory), Options))
                {
                    sum += Entry(entry, isFolder);
                    yield return isFolder ? new ListedFolder(Path.Join(fullName, entry), entry, listings) : new ListedFile(entry, this);
                }
            }
            listings.Read(fullName, sum);
        }

        /// <summary>".." is the parent, named "..", as DirectoryInfoWrapper gives it; any other name a subfolder, or null.</summary>
        public override DirectoryInfoBase? GetDirectory(string path)
        {
            if (path == "..")
            {
                return new ListedFolder(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(fullName, path))), path, listings);
            }
            var full = Path.Join(fullName, path);
            return Directory.Exists(full) ? new ListedFolder(full, path, listings) : null;
        }

        public override FileInfoBase GetFile(string path) => new ListedFile(path, this);
    }

    /// <summary>A file the matcher tests by its name: the name and its folder, nothing read.</summary>
    private sealed class ListedFile(string name, ListedFolder folder) : FileInfoBase
    {
        public override string Name => name;

        public override string FullName => Path.Join(folder.FullName, name);

        public override DirectoryInfoBase ParentDirectory => folder;
    }
}
