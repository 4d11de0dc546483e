namespace BuildImages.Core.Output;

/// <summary>
/// Writes to a temp file beside the target and renames it over the target, so a crash never leaves a
/// truncated file that a later build would trust.
/// </summary>
public static class AtomicFile
{
    /// <summary>Temp files end with this; a build removes ones a killed build left behind.</summary>
    public const string TempSuffix = ".bi-tmp";

    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Streams the content into the temp file (large files never exist as one array in memory).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
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

    /// <summary>Removes temp files a killed build left in a folder.</summary>
    public static int RemoveStale(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var removed = 0;
        foreach (var stale in Directory.EnumerateFiles(directory, "*" + TempSuffix))
        {
            try
            {
                File.Delete(stale);
                removed++;
            }
            catch (IOException)
            {
                // Another build may be writing it right now; leave it.
            }
        }
        return removed;
    }
}
