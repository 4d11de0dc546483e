namespace BuildImages.Tool;

/// <summary>Writes to a temp file beside the target and renames it, so a crash never leaves a truncated output.</summary>
internal static class AtomicFile
{
    internal static void Write(string path, byte[] bytes)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
