using BuildImages.Core.Native;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Output;

/// <summary>
/// Makes many written files durable with one flush instead of one fsync each. Outputs are written and renamed
/// unflushed (<see cref="AtomicFile.WriteUnflushed"/>) and noted here; before a manifest that names them is saved,
/// <see cref="Commit"/> flushes them: on Linux one <c>syncfs</c> per folder's file system, elsewhere an fsync per
/// file. A crash before the commit can leave an output that is empty or old, but no manifest names it with its new
/// hash, so the next build sees the difference and renders it again.
/// </summary>
internal sealed class DurableBatch
{
    private readonly Lock _lock = new();

    /// <summary>
    /// Linux: the last file written in each folder (syncfs needs one open file per file system, and a folder's files
    /// share one; keeping every path was 40 MB of a build that wrote 400,000 files). Elsewhere: every file, each fsynced.
    /// </summary>
    private Dictionary<string, string> _written = new(StringComparer.Ordinal);

    private int _pending;

    /// <summary>How many times files were flushed, and how many files those flushes covered.</summary>
    internal (int Commits, int Files) Counts { get; private set; }

    internal void Written(string path)
    {
        var key = OperatingSystem.IsLinux() ? Path.GetDirectoryName(path) ?? path : path;
        lock (_lock)
        {
            _written[key] = path;
            _pending++;
        }
    }

    /// <summary>Flushes every file written since the last commit, with the folders that name them.</summary>
    internal void Commit()
    {
        Dictionary<string, string> written;
        int pending;
        lock (_lock)
        {
            if (_written.Count == 0)
            {
                return;
            }
            (written, _written, pending, _pending) = (_written, new Dictionary<string, string>(StringComparer.Ordinal), _pending, 0);
        }
        if (OperatingSystem.IsLinux())
        {
            // syncfs commits data and the renames' directory entries of a whole file system: one call per file system,
            // through any file open on it (.NET opens no directories): the folder's last written file, or if that is
            // gone (replaced, pruned) any file left in the folder.
            foreach (var file in written.Select(f => File.Exists(f.Value) ? f.Value : AnyFileIn(f.Key)).OfType<string>().DistinctBy(DeviceOf))
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (LibcApi.syncfs((int)handle.DangerousGetHandle()) != 0)
                {
                    throw new IOException($"could not flush '{Path.GetDirectoryName(file)}' to disk (syncfs: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
                }
            }
        }
        else
        {
            foreach (var file in written.Values.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
                stream.Flush(flushToDisk: true);
            }
        }
        lock (_lock)
        {
            Counts = (Counts.Commits + 1, Counts.Files + pending);
        }
    }

    private static string? AnyFileIn(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.EnumerateFiles(folder).FirstOrDefault() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ulong DeviceOf(string path)
    {
        unsafe
        {
            StatxBuffer buffer;
            return LibcApi.statx(LibcApi.AtFdCwd, path, 0, 0, &buffer) == 0 ? ((ulong)buffer.DevMajor << 32) | buffer.DevMinor : 0;
        }
    }
}
