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
}
