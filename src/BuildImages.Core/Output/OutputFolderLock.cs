using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Output;

/// <summary>
/// An exclusive lock on one output folder (and so on its manifest) for the whole of a build, so a publish, a nightly
/// job and a publish hook on the same output folder never interleave, even when they keep their manifests in
/// different places (the MSBuild task keeps its own in obj/). It is an OS file lock (released by the system if the
/// process dies) on a file named by the output folder's full path in the machine's temp folder, so taking it writes nothing into the
/// project before the configuration is known to be good; the file names the holder's process. A second build
/// waits, saying so once, and fails with BI0035 after the timeout.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    /// <summary>What .NET reports when another handle holds the file: ERROR_SHARING_VIOLATION on Windows, the flock's EWOULDBLOCK (11 on Linux, 35 on macOS) on Unix.</summary>
    private static readonly int[] HeldElsewhere = [unchecked((int)0x80070020), 11, 35];

    private readonly FileStream _stream;

    private OutputFolderLock(FileStream stream) => _stream = stream;

    public static string PathFor(string outputDirectory) =>
        Path.Combine(Path.GetTempPath(), "buildimages-locks", Planning.ContentHash.OfText(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)))[..24] + ".lock");

    /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; <paramref name="waiting"/> is told once who holds it.</summary>
    public static OutputFolderLock Acquire(string outputDirectory, TimeSpan timeout, Action<string>? waiting = null, CancellationToken cancellation = default)
    {
        var path = PathFor(outputDirectory);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CardException.Error(DiagnosticCodes.WriteFailed, $"the lock's folder cannot be created ({ex.Message}); nothing was rendered", path);
        }
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
                // Beside the lock, not in it: a held lock file cannot be read by the process waiting for it.
                File.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                return new OutputFolderLock(stream);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && !HeldElsewhere.Contains(ex.HResult)))
            {
                throw CardException.Error(DiagnosticCodes.WriteFailed, $"the output folder's lock cannot be written ({ex.Message}); nothing was rendered", path);
            }
            catch (IOException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM while waiting: nothing has started, so nothing needs recording.
                throw CardException.Error(DiagnosticCodes.OutputFolderLocked, $"cancelled while waiting for another build{Holder(path)} writing to this output folder; nothing was rendered", outputDirectory);
            }
            catch (IOException)
            {
                var holder = Holder(path);
                if (clock.Elapsed >= timeout)
                {
                    throw CardException.Error(DiagnosticCodes.OutputFolderLocked, string.Create(CultureInfo.InvariantCulture,
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

    public void Dispose() => _stream.Dispose();

    private static string Holder(string path)
    {
        try
        {
            var text = File.ReadAllText(path + ".pid").Trim();
            return text.Length is > 0 and < 12 ? $" (process {text})" : string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
