using BuildImages.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A folder to stat files relative to (<see cref="FileStamp.Read(FileStampCursor, ReadOnlySpan{byte})"/>): the no-op
/// check's four million calls then walk only each output's own name, not the folder's path, and make no string. Each
/// thread holds its own cursor: threads sharing one descriptor contend on its reference count in every call.
/// </summary>
internal sealed class FileStampFolder(string path) : IDisposable
{
    private readonly ThreadLocal<FileStampCursor> _cursors = new(() => new FileStampCursor(path), trackAllValues: true);

    /// <summary>This thread's cursor (take it once per run of outputs: a thread-local look-up per output shows at millions).</summary>
    internal FileStampCursor ForThisThread() => _cursors.Value!;

    public void Dispose()
    {
        foreach (var cursor in _cursors.Values)
        {
            cursor.Dispose();
        }
        _cursors.Dispose();
    }
}

/// <summary>
/// One thread's descriptors: of the folder, and of the subfolder the last file was in. Outputs come in key order, so
/// most share the last one's subfolder (<c>og/</c>): a statx then looks up one name, not two, which at four million
/// files is a tenth of the kernel's work. Lives for one check, so a descriptor never outlives the folder it was opened on
/// by more than that check.
/// </summary>
internal sealed class FileStampCursor : IDisposable
{
    private readonly SafeFileHandle? _root;
    private byte[] _subfolder = new byte[64];
    private int _subfolderLength = -1;
    private int _subfolderFd = -1;

    internal FileStampCursor(string folder)
    {
        Path = folder;
        _root = Open(folder);
    }

    internal string Path { get; }

    /// <summary>The folder's descriptor, or null where it cannot be held open (then the caller uses the path).</summary>
    internal int? Root => _root is { } handle ? (int)handle.DangerousGetHandle() : null;

    /// <summary>
    /// A descriptor of <paramref name="subfolder"/> (a relative path, no trailing slash) under the folder, kept until a
    /// file in another subfolder is asked for; -1 when it cannot be opened (the caller then stats the whole path).
    /// </summary>
    internal unsafe int Subfolder(ReadOnlySpan<byte> subfolder)
    {
        if (_subfolderLength == subfolder.Length && subfolder.SequenceEqual(_subfolder.AsSpan(0, _subfolderLength)))
        {
            return _subfolderFd;
        }
        CloseSubfolder();
        Span<byte> name = stackalloc byte[subfolder.Length + 1];
        subfolder.CopyTo(name);
        name[^1] = 0;
        int fd;
        fixed (byte* p = name)
        {
            // Links on the way are followed, as statx on the whole path follows them.
            fd = LibcApi.openat(Root!.Value, p, LibcApi.OpenPath | LibcApi.OpenCloseOnExec);
        }
        if (fd < 0)
        {
            return -1;
        }
        if (_subfolder.Length < subfolder.Length)
        {
            _subfolder = new byte[subfolder.Length * 2];
        }
        subfolder.CopyTo(_subfolder);
        _subfolderLength = subfolder.Length;
        _subfolderFd = fd;
        return fd;
    }

    public void Dispose()
    {
        CloseSubfolder();
        _root?.Dispose();
    }

    private void CloseSubfolder()
    {
        if (_subfolderFd >= 0)
        {
            LibcApi.close(_subfolderFd);
        }
        _subfolderFd = -1;
        _subfolderLength = -1;
    }

    private static SafeFileHandle? Open(string folder)
    {
        if (!FileStamp.UseStatx)
        {
            return null;
        }
        var fd = LibcApi.open(folder, LibcApi.OpenPath | LibcApi.OpenCloseOnExec);
        if (fd < 0)
        {
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (LibcApi.DescriptorStat(fd, out var stat) && (stat.Mode & StatxBuffer.TypeMask) == StatxBuffer.Directory)
        {
            return handle;
        }
        handle.Dispose();
        return null;
    }
}
