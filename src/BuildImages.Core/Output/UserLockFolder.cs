using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Core.Output;

/// <summary>
/// The folder the output-folder locks live in: one per user, which no other user can write into, so nobody can
/// plant a link where a build writes its lock or its process id, and one user's first build never decides another's.
/// Linux: <c>$XDG_RUNTIME_DIR/buildimages</c> (the system's per-user runtime folder), else
/// <c>$TMPDIR/buildimages-&lt;uid&gt;</c>, created 0700 and checked (a folder, not a link, owned by this user, no group or
/// other access) before every use. macOS and other Unix: the user's cache folder under the home folder. Windows: the
/// user's local application data.
/// </summary>
internal static class UserLockFolder
{
    /// <summary>The folder (created if needed, and checked); throws <see cref="BuildInputException"/> (BI0033) naming it when it cannot be trusted.</summary>
    internal static string Get() => Prepare(Choose());

    /// <summary>Creates the folder 0700 if it is missing, then checks it; returns it, or throws naming it.</summary>
    internal static string Prepare(string folder)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
                return folder;
            }
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw BuildInputException.Error(DiagnosticCodes.WriteFailed, $"the lock folder cannot be created ({ex.Message}); nothing was rendered", folder);
        }
        if (Untrusted(folder) is { } why)
        {
            throw BuildInputException.Error(DiagnosticCodes.WriteFailed,
                $"the lock folder {why}, so another user could plant files in it; nothing was rendered (remove it, or set TMPDIR or XDG_RUNTIME_DIR to a folder of your own)", folder);
        }
        return folder;
    }

    private static string Choose()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "BuildImages", "locks");
        }
        if (OperatingSystem.IsLinux())
        {
            if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Path.IsPathFullyQualified(runtime) && Directory.Exists(runtime))
            {
                return Path.Combine(runtime, "buildimages");
            }
            return Path.Combine(Path.GetTempPath(), "buildimages-" + LibcApi.geteuid().ToString(CultureInfo.InvariantCulture));
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        return OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches", "BuildImages", "locks") : Path.Combine(home, ".cache", "buildimages", "locks");
    }

    /// <summary>Why the folder cannot be trusted, or null. Linux checks owner and mode without following links; elsewhere the folder is under the user's own profile.</summary>
    private static string? Untrusted(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new DirectoryInfo(folder).LinkTarget is not null ? "is a symbolic link" : null;
        }
        if (!LibcApi.LinkStat(folder, out var stat))
        {
            return "cannot be examined";
        }
        if ((stat.Mode & StatxBuffer.TypeMask) != StatxBuffer.Directory)
        {
            return (stat.Mode & StatxBuffer.TypeMask) == StatxBuffer.SymbolicLink ? "is a symbolic link" : "is not a folder";
        }
        if (stat.Uid != LibcApi.geteuid())
        {
            return $"belongs to user {stat.Uid}, not to you";
        }
        return (stat.Mode & 0x3F) != 0 ? string.Create(CultureInfo.InvariantCulture, $"is open to other users (mode {Convert.ToString(stat.Mode & 0x1FF, 8)})") : null;
    }
}
