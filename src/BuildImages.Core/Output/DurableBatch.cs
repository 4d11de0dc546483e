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
    private HashSet<string> _files = new(StringComparer.Ordinal);

    /// <summary>How many times files were flushed, and how many files those flushes covered.</summary>
    internal (int Commits, int Files) Counts { get; private set; }

    internal void Written(string path)
    {
        lock (_lock)
        {
            _files.Add(path);
        }
    }

    /// <summary>Flushes every file written since the last commit, with the folders that name them.</summary>
    internal void Commit()
    {
        HashSet<string> files;
        lock (_lock)
        {
            if (_files.Count == 0)
            {
                return;
            }
            (files, _files) = (_files, new HashSet<string>(StringComparer.Ordinal));
        }
        if (OperatingSystem.IsLinux())
        {
            // syncfs commits data and the renames' directory entries of a whole file system: one call per file system,
            // through any written file on it (.NET opens no directories).
            // One file per folder (a folder's files share its file system), then one per file system.
            foreach (var file in files.GroupBy(Path.GetDirectoryName).Select(g => g.FirstOrDefault(File.Exists)).OfType<string>().DistinctBy(DeviceOf))
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
            foreach (var file in files.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
                stream.Flush(flushToDisk: true);
            }
        }
        lock (_lock)
        {
            Counts = (Counts.Commits + 1, Counts.Files + files.Count);
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
