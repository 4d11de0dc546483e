using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Output;

/// <summary>
/// An exclusive lock on one output folder (and so on its manifest) for the whole of a build, so a publish, a nightly
/// job and a publish hook on the same output folder never interleave, even when they keep their manifests in
/// different places (the MSBuild task keeps its own in obj/). It is an OS file lock (released by the system if the
/// process dies) on a file named by the output folder's full path in the user's own lock folder
/// (<see cref="UserLockFolder"/>), so taking it writes nothing into the project before the configuration is known to
/// be good, and no other user can plant a link where it is written; a file beside it names the holder's process. A
/// second build waits, saying so once, and fails with BI0035 after the timeout. Released, the lock's files are removed
/// (on Linux and Windows; elsewhere the lock file stays, one per output folder).
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    /// <summary>What .NET reports when another handle holds the file: ERROR_SHARING_VIOLATION on Windows, the flock's EWOULDBLOCK (11 on Linux, 35 on macOS) on Unix.</summary>
    private static readonly int[] HeldElsewhere = [unchecked((int)0x80070020), 11, 35];

    private readonly FileStream _stream;
    private readonly string _path;

    private OutputFolderLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>The lock file of an output folder (its folder is created and checked).</summary>
    public static string PathFor(string outputDirectory) =>
        Path.Combine(UserLockFolder.Get(), BuildImages.Core.Primitives.ContentHash.OfText(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)))[..24] + ".lock");

    /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; <paramref name="waiting"/> is told once who holds it.</summary>
    public static OutputFolderLock Acquire(string outputDirectory, TimeSpan timeout, Action<string>? waiting = null, CancellationToken cancellation = default)
    {
        var path = PathFor(outputDirectory);
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                // Windows deletes the file when the last handle closes; no one else can open it meanwhile (FileShare.None).
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
                if (!StillNamedBy(stream, path))
                {
                    // The holder removed this file as we opened it: the lock is now a new file; take that one.
                    stream.Dispose();
                    continue;
                }
                File.WriteAllText(PidFile(path), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                return new OutputFolderLock(stream, path);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && !HeldElsewhere.Contains(ex.HResult)))
            {
                throw BuildInputException.Error(DiagnosticCodes.WriteFailed, $"the output folder's lock cannot be written ({ex.Message}); nothing was rendered", path);
            }
            catch (IOException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM while waiting: nothing has started, so nothing needs recording.
                throw BuildInputException.Error(DiagnosticCodes.OutputFolderLocked, $"cancelled while waiting for another build{Holder(path)} writing to this output folder; nothing was rendered", outputDirectory);
            }
            catch (IOException)
            {
                var holder = Holder(path);
                if (clock.Elapsed >= timeout)
                {
                    throw BuildInputException.Error(DiagnosticCodes.OutputFolderLocked, string.Create(CultureInfo.InvariantCulture,
                        $"another build{holder} holds the lock on this output folder ({path}) and did not finish within {timeout.TotalSeconds:0} s; nothing was rendered (run again when it is done)"), outputDirectory);
                }
                if (!told)
                {
                    waiting?.Invoke($"waiting for another build{holder}, which is writing to {outputDirectory}");
                    told = true;
                }
                cancellation.WaitHandle.WaitOne(100);
            }
        }
    }

    /// <summary>Removes the lock's files, then releases it (a waiter that opened the removed file sees it was replaced, and retries).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(PidFile(_path));
            // Windows removes the lock file itself (DeleteOnClose); elsewhere only Linux can tell a waiter it was replaced.
            if (OperatingSystem.IsLinux())
            {
                File.Delete(_path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind, they are taken over by the next build; the lock itself is the open handle.
        }
        _stream.Dispose();
    }

    /// <summary>
    /// Unix: whether the path still names the file this handle locked. A holder removes the file before it lets go, so a
    /// waiter that opened it just before may lock a file nobody else will ever see: it must start again. Where the
    /// check cannot be made (not Linux), the files are kept and this is always true.
    /// </summary>
    internal static bool StillNamedBy(FileStream stream, string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }
        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        return LibcApi.DescriptorStat(fd, out var held) && LibcApi.LinkStat(path, out var named) && held.Inode == named.Inode && held.DevMajor == named.DevMajor && held.DevMinor == named.DevMinor;
    }

    private static string PidFile(string path) => path + ".pid";

    private static string Holder(string path)
    {
        try
        {
            var text = File.ReadAllText(PidFile(path)).Trim();
            return text.Length is > 0 and < 12 ? $" (process {text})" : string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
