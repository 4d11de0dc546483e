using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>libc: statx, the one call the no-op path makes per output (its buffer layout is the same on every Linux architecture), and syncfs, which makes a batch of outputs durable at once.</summary>
internal static unsafe partial class LibcApi
{
    internal const int AtFdCwd = -100;
    internal const uint StatxSize = 0x200;
    internal const uint StatxMtime = 0x40;

    /// <summary>Commits every dirty page and inode of the file system holding <paramref name="fd"/> (Linux 2.6.39+).</summary>
    [LibraryImport(NativeLibraryNames.Libc, SetLastError = true)]
    internal static partial int syncfs(int fd);

    /// <summary>Makes <paramref name="newPath"/> a hard link to <paramref name="oldPath"/> (one inode, no data copied).</summary>
    [LibraryImport(NativeLibraryNames.Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int link(string oldPath, string newPath);

    [LibraryImport(NativeLibraryNames.Libc, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, StatxBuffer* buffer);
}

/// <summary>struct statx (linux/stat.h): 256 bytes; the size at 40, the modification time at 112 (seconds, then nanoseconds).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] internal uint Mask;
    [FieldOffset(16)] internal uint Links;
    [FieldOffset(28)] internal ushort Mode;
    [FieldOffset(40)] internal ulong Size;
    [FieldOffset(112)] internal long MtimeSeconds;
    [FieldOffset(120)] internal uint MtimeNanoseconds;
    [FieldOffset(136)] internal uint DevMajor;
    [FieldOffset(140)] internal uint DevMinor;
}
