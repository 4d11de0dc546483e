namespace BuildImages.Core.Native;

/// <summary>
/// Whether a path (links followed) is something other than a regular file or a folder: a pipe (opening it blocks until
/// someone writes), a device (/dev/zero reads forever) or a socket. Checked before an input is read, so a planted
/// special file fails that input instead of hanging the build. Linux looks with statx; elsewhere the answer is false.
/// </summary>
internal static class FileKind
{
    internal static bool IsSpecial(string path) =>
        OperatingSystem.IsLinux() && LibcApi.Stat(Path.GetFullPath(path), out var stat)
        && (stat.Mode & StatxBuffer.TypeMask) is not (StatxBuffer.RegularFile or StatxBuffer.Directory);

    /// <summary>Throws an <see cref="IOException"/> naming <paramref name="path"/> when it <see cref="IsSpecial"/>: for readers whose caller reports I/O errors as they come.</summary>
    internal static void ThrowIfSpecial(string path)
    {
        if (IsSpecial(path))
        {
            throw new IOException($"'{path}' is not a regular file (a pipe, a socket or a device)");
        }
    }
}
