using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Writes to a temp file beside the target and renames it over the target, so a crash never leaves a
/// truncated file that a later build would trust.
/// </summary>
public static class AtomicFile
{
    /// <summary>Temp files end with this; a build removes ones a killed build left behind.</summary>
    public const string TempSuffix = ".bi-tmp";

    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>
    /// Writes and renames without flushing to disk: atomic against a crash of the process, and made durable later,
    /// for a whole batch at once, by <see cref="Output.DurableBatch.Commit"/> before anything names the file.
    /// </summary>
    public static void WriteUnflushed(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes), onlyIfChanged: false, flush: false);

    /// <summary>Streams the content into the temp file (large files never exist as one array in memory).</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, onlyIfChanged: false);

    /// <summary>
    /// Like <see cref="Write(string, Action{Stream})"/>, but keeps the existing file (and its time, which site
    /// generators watch) when the new content is the same. Returns whether the file was replaced.
    /// </summary>
    public static bool WriteIfChanged(string path, Action<Stream> write) => Write(path, write, onlyIfChanged: true);

    /// <summary>
    /// Puts a file with <paramref name="source"/>'s bytes at <paramref name="path"/>: a hard link where the file system
    /// has them (no data written: a de-duplicated batch copies thousands of equal outputs), else a copy, unflushed like
    /// <see cref="WriteUnflushed"/>. A new name is linked straight to the file (the name appears with the whole file
    /// behind it, atomically); a name that exists is replaced through a temp name and a rename. Every later write of
    /// either name replaces its file by renaming, which ends the sharing instead of changing both.
    /// </summary>
    public static void LinkOrCopyUnflushed(string source, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        // The first build of a site copies into new names: one system call instead of a link, a rename and a temp name.
        if (!OperatingSystem.IsWindows() && Native.LibcApi.link(source, path) == 0)
        {
            return;
        }
        var temp = TempName(dir, path);
        try
        {
            if (OperatingSystem.IsWindows() || Native.LibcApi.link(source, temp) != 0)
            {
                // Another file system, or none with links: copy the bytes.
                File.Copy(source, temp);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// A new scratch file beside <paramref name="path"/>, open for reading and writing and deleted when closed (a
    /// killed build's is swept by the next, by its name). <paramref name="nameless"/>: unlinked at once where the
    /// system allows it (Linux, macOS), so no name is left whenever the handle is dropped. Throws what opening throws.
    /// </summary>
    internal static (SafeFileHandle Handle, string Path) OpenScratch(string path, string purpose, bool nameless)
    {
        var scratch = ScratchNameFor(path, purpose);
        var handle = File.OpenHandle(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (nameless && !OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(scratch);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        return (handle, scratch);
    }

    /// <summary>
    /// A fresh temp-file name beside <paramref name="path"/> for a build's own scratch data (named like the temp files of a
    /// write, so a build that is killed leaves one the next build removes).
    /// </summary>
    internal static string ScratchNameFor(string path, string purpose) =>
        TempName(Path.GetDirectoryName(Path.GetFullPath(path))!, $"{path}.{purpose}");

    /// <summary>
    /// As <see cref="Write(string, Action{Stream})"/>, for content written by something that opens the file by its name
    /// (a database): <paramref name="fill"/> is given the temp file's path, and the file it leaves there is flushed and
    /// renamed over <paramref name="path"/>; the temp file is removed if anything throws.
    /// </summary>
    internal static void WriteByName(string path, Action<string> fill)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = TempName(dir, path);
        try
        {
            fill(temp);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static string TempName(string dir, string path) =>
        Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}{TempSuffix}");

    private static bool Write(string path, Action<Stream> write, bool onlyIfChanged, bool flush = true)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = TempName(dir, path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                if (onlyIfChanged && SameContent(stream, path))
                {
                    stream.Dispose();
                    File.Delete(temp);
                    return false;
                }
                stream.Flush(flushToDisk: flush);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Compares the written temp file with the existing file a block at a time.</summary>
    private static bool SameContent(FileStream written, string path)
    {
        var existing = new FileInfo(path);
        if (!existing.Exists || existing.Length != written.Length)
        {
            return false;
        }
        written.Flush();
        written.Position = 0;
        using var old = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var a = new byte[1 << 16];
        var b = new byte[1 << 16];
        int read;
        while ((read = written.ReadAtLeast(a, a.Length, throwOnEndOfStream: false)) > 0)
        {
            if (old.ReadAtLeast(b.AsSpan(0, read), read, throwOnEndOfStream: false) != read || !a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, read)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Removes temp files a killed build left in a folder. A temp file names the process that writes it; one whose
    /// process is still running (another build, or this one) is left alone.
    /// </summary>
    public static int RemoveStale(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var removed = 0;
        foreach (var stale in Directory.EnumerateFiles(directory, "*" + TempSuffix))
        {
            if (WriterIsRunning(Path.GetFileName(stale)))
            {
                continue;
            }
            try
            {
                File.Delete(stale);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not ours to remove after all (another user's build, a read-only folder); it is never trusted anyway.
            }
        }
        return removed;
    }

    /// <summary>Whether the temp file's name (".name.PID.guid.bi-tmp") names a process that is running now.</summary>
    private static bool WriterIsRunning(string name)
    {
        var parts = name[..^TempSuffix.Length].Split('.');
        if (parts.Length < 3 || !int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
