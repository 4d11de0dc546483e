using BuildImages.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A folder to stat files relative to (<see cref="FileStamp.Read(FileStampFolder, ReadOnlySpan{byte})"/>): the no-op
/// check's four million calls then walk only each output's own path, not the folder's, and make no string. Each thread
/// holds its own descriptor of the folder: threads sharing one contend on its reference count in every call.
/// </summary>
internal sealed class FileStampFolder(string path) : IDisposable
{
    private readonly ThreadLocal<SafeFileHandle?> _handles = new(() => Open(path), trackAllValues: true);

    internal string Path { get; } = path;

    /// <summary>This thread's descriptor of the folder, or null where it cannot be held open (then the caller uses the path).</summary>
    internal int? Descriptor() => _handles.Value is { } handle ? (int)handle.DangerousGetHandle() : null;

    public void Dispose()
    {
        foreach (var handle in _handles.Values)
        {
            handle?.Dispose();
        }
        _handles.Dispose();
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
