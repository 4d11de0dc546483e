using BuildImages.Core.Native;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A file's size and last write time (UTC ticks, as <c>FileInfo.LastWriteTimeUtc</c> gives them), read with
/// one system call on Linux: the no-op path reads one per output, and <see cref="FileInfo"/> costs about twice as much.
/// </summary>
internal readonly record struct FileStamp(long Size, long ModifiedTicks)
{
    internal static readonly bool UseStatx = OperatingSystem.IsLinux() && StatxWorks();

    /// <summary>The stamp of a regular file, or null when there is no such file.</summary>
    internal static unsafe FileStamp? Read(string path)
    {
        if (UseStatx)
        {
            StatxBuffer buffer;
            return Regular(LibcApi.statx(LibcApi.AtFdCwd, path, 0, LibcApi.StatxSize | LibcApi.StatxMtime, &buffer), buffer);
        }
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }

    /// <summary>The stamp of a regular file named by UTF-8 bytes relative to a folder (a thread's cursor on it); null when there is no such file.</summary>
    // Nothing zeroed first: statx fills the buffer, the name is copied whole (four million calls in a no-op).
    [System.Runtime.CompilerServices.SkipLocalsInit]
    internal static unsafe FileStamp? Read(FileStampCursor folder, ReadOnlySpan<byte> relative)
    {
        // No descriptor where statx is not there (the cursor holds none), or for a path too long for the stack.
        if (folder.Root is not { } fd || relative.Length >= 1024)
        {
            return Read(Path.Combine(folder.Path, System.Text.Encoding.UTF8.GetString(relative)));
        }
        var slash = relative.LastIndexOf((byte)'/');
        if (slash > 0 && folder.Subfolder(relative[..slash]) is var subfolder and >= 0)
        {
            fd = subfolder;
            relative = relative[(slash + 1)..];
        }
        Span<byte> path = stackalloc byte[relative.Length + 1];
        relative.CopyTo(path);
        path[^1] = 0;
        StatxBuffer buffer;
        fixed (byte* p = path)
        {
            return Regular(LibcApi.statx(fd, p, 0, LibcApi.StatxSize | LibcApi.StatxMtime, &buffer), buffer);
        }
    }

    /// <summary>The stamp statx gave, when the call succeeded on a regular file.</summary>
    private static FileStamp? Regular(int result, in StatxBuffer buffer) =>
        result != 0 || (buffer.Mode & StatxBuffer.TypeMask) != StatxBuffer.RegularFile
            ? null
            : new FileStamp((long)buffer.Size, DateTime.UnixEpoch.Ticks + (buffer.MtimeSeconds * TimeSpan.TicksPerSecond) + (buffer.MtimeNanoseconds / 100));

    /// <summary>"size:ticks" of a file, or an empty string when there is none: how the stat cache and the up-to-date record stamp the manifest and images.json.</summary>
    internal static string Describe(string path) => Read(path) is { } s ? $"{s.Size}:{s.ModifiedTicks}" : string.Empty;

    /// <summary>statx is in glibc from 2.28 and the kernel from 4.11; anything older (or a sandbox refusing it) uses FileInfo.</summary>
    private static unsafe bool StatxWorks()
    {
        try
        {
            StatxBuffer buffer;
            return LibcApi.statx(LibcApi.AtFdCwd, "/", 0, LibcApi.StatxSize | LibcApi.StatxMtime, &buffer) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
