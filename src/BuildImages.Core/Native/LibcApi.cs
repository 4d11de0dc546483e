using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>libc: statx, the one call the no-op path makes per output (its buffer layout is the same on every Linux architecture), and syncfs, which makes a batch of outputs durable at once.</summary>
internal static unsafe partial class LibcApi
{
    internal const int AtFdCwd = -100;
    internal const int AtSymlinkNoFollow = 0x100;
    internal const int AtEmptyPath = 0x1000;
    internal const uint StatxType = 0x1;
    internal const uint StatxMode = 0x2;
    internal const uint StatxUid = 0x8;
    internal const uint StatxIno = 0x100;
    internal const uint StatxSize = 0x200;
    internal const uint StatxMtime = 0x40;

    /// <summary>The effective user id (POSIX; never fails).</summary>
    [LibraryImport(NativeLibraryNames.Libc)]
    internal static partial uint geteuid();

    /// <summary>Commits every dirty page and inode of the file system holding <paramref name="fd"/> (Linux 2.6.39+).</summary>
    [LibraryImport(NativeLibraryNames.Libc, SetLastError = true)]
    internal static partial int syncfs(int fd);

    /// <summary>Makes <paramref name="newPath"/> a hard link to <paramref name="oldPath"/> (one inode, no data copied).</summary>
    [LibraryImport(NativeLibraryNames.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int link(string oldPath, string newPath);

    [LibraryImport(NativeLibraryNames.Libc, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>open(2) flags with the same value on every Linux architecture .NET runs on (O_DIRECTORY is not one of them).</summary>
    internal const int OpenPath = 0x200000, OpenCloseOnExec = 0x80000;

    [LibraryImport(NativeLibraryNames.Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);

    /// <summary>open(2) relative to a folder's descriptor, with a NUL-terminated UTF-8 path the caller made.</summary>
    [LibraryImport(NativeLibraryNames.Libc, SetLastError = true)]
    internal static partial int openat(int dirfd, byte* path, int flags);

    /// <summary>Closes a descriptor not held by a SafeHandle (one reused for many calls on one thread).</summary>
    [LibraryImport(NativeLibraryNames.Libc)]
    internal static partial int close(int fd);

    /// <summary>The same call with a NUL-terminated UTF-8 path the caller made (no string marshalled).</summary>
    [LibraryImport(NativeLibraryNames.Libc, EntryPoint = "statx")]
    internal static partial int statx(int dirfd, byte* path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>An lstat-like look at a path (links not followed): true and the buffer filled, or false.</summary>
    internal static bool LinkStat(string path, out StatxBuffer buffer)
    {
        StatxBuffer b;
        var ok = statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid | StatxIno, &b) == 0;
        buffer = b;
        return ok;
    }

    /// <summary>A stat-like look at a path, links followed: true and the buffer filled, or false.</summary>
    internal static bool Stat(string path, out StatxBuffer buffer)
    {
        StatxBuffer b;
        var ok = statx(AtFdCwd, path, 0, StatxType | StatxMode | StatxUid | StatxIno, &b) == 0;
        buffer = b;
        return ok;
    }

    /// <summary>The same look at an open file descriptor.</summary>
    internal static bool DescriptorStat(int fd, out StatxBuffer buffer)
    {
        StatxBuffer b;
        var ok = statx(fd, string.Empty, AtEmptyPath, StatxType | StatxMode | StatxUid | StatxIno, &b) == 0;
        buffer = b;
        return ok;
    }
}

/// <summary>struct statx (linux/stat.h): 256 bytes; the owner at 20, the inode at 32, the size at 40, the modification time at 112 (seconds, then nanoseconds).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary>S_IFMT, S_IFDIR, S_IFLNK and S_IFREG of <see cref="Mode"/>.</summary>
    internal const ushort TypeMask = 0xF000, Directory = 0x4000, SymbolicLink = 0xA000, RegularFile = 0x8000;

    [FieldOffset(0)] internal uint Mask;
    [FieldOffset(16)] internal uint Links;
    [FieldOffset(20)] internal uint Uid;
    [FieldOffset(28)] internal ushort Mode;
    [FieldOffset(32)] internal ulong Inode;
    [FieldOffset(40)] internal ulong Size;
    [FieldOffset(112)] internal long MtimeSeconds;
    [FieldOffset(120)] internal uint MtimeNanoseconds;
    [FieldOffset(136)] internal uint DevMajor;
    [FieldOffset(140)] internal uint DevMinor;
}
