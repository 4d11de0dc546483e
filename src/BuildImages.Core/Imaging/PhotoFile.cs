using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Imaging;

/// <summary>
/// A photo's source file with the size and write time (UTC ticks) its content hash was taken under. It is read where it
/// is decoded, in the sandbox's child or in this process, so its megabytes cross no pipe; a file whose size or write
/// time differ by then is refused with <see cref="SourceChangedException"/>, since the outputs are keyed by that hash
/// and must come from those bytes. Size and write time are what the stat cache trusts between builds, too.
/// </summary>
public sealed record PhotoFile(string Path, long Size, long ModifiedTicks)
{
    /// <summary>The file with its size and write time now (for callers that hash it themselves, or not at all).</summary>
    public static PhotoFile Now(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new PhotoFile(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks) : throw new FileNotFoundException($"'{path}' does not exist", path);
    }

    /// <summary>
    /// The file's bytes from one handle, whose size and write time must match before and after the read. Throws an
    /// <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) naming the file when it cannot be read.
    /// </summary>
    public byte[] Read()
    {
        using var handle = Open();
        if (Size > Array.MaxLength)
        {
            throw new IOException($"'{Path}' is {Size:N0} bytes, more than a photo can be");
        }
        // Not zeroed first: every byte is read into it, and a short read is refused below.
        var bytes = GC.AllocateUninitializedArray<byte>((int)Size);
        var done = 0;
        int read;
        while (done < bytes.Length && (read = RandomAccess.Read(handle, bytes.AsSpan(done), done)) > 0)
        {
            done += read;
        }
        if (done != bytes.Length)
        {
            throw new SourceChangedException(Path);
        }
        EnsureUnchanged(handle);
        return bytes;
    }

    /// <summary>The file opened for reading, shared with readers only, if it is still the one that was hashed.</summary>
    internal SafeFileHandle Open()
    {
        // Opening a pipe blocks and a device may never end: a source that became one since it was hashed is refused.
        Native.FileKind.ThrowIfSpecial(Path);
        var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        try
        {
            EnsureUnchanged(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="SourceChangedException"/> when the open file's size or write time are no longer those it was hashed with.</summary>
    internal void EnsureUnchanged(SafeFileHandle handle)
    {
        if (RandomAccess.GetLength(handle) != Size || File.GetLastWriteTimeUtc(handle).Ticks != ModifiedTicks)
        {
            throw new SourceChangedException(Path);
        }
    }
}

/// <summary>A photo's source was written between its hashing and its decoding: this build leaves it, the next reads it again.</summary>
internal sealed class SourceChangedException(string path)
    : IOException($"'{path}' changed while the build was reading it (its size or write time are not those it was hashed with); the next build reads it again");
