using Microsoft.Win32.SafeHandles;
using NetVips;

namespace BuildImages.Core.Imaging;

/// <summary>
/// A <see cref="PhotoFile"/> opened for decoding: libvips reads it through the descriptor as it decodes, so the file
/// is never copied whole into memory (a 4K photo's megabytes, faulted into a fresh array every time, cost more than
/// a tenth of a decode's time). The size and write time are checked when it is opened and again when the decode is
/// done (<see cref="EnsureUnchanged"/>). On Windows libvips opens the path itself, and the handle held here, shared for
/// reading only, keeps writers out until it is closed.
/// </summary>
internal sealed class PhotoFileSource : IDisposable
{
    private readonly PhotoFile _file;
    private readonly SafeFileHandle _handle;

    private PhotoFileSource(PhotoFile file, SafeFileHandle handle, Source source, byte[] head)
    {
        _file = file;
        _handle = handle;
        Source = source;
        Head = head;
    }

    /// <summary>What libvips decodes from.</summary>
    internal Source Source { get; }

    /// <summary>The file's first bytes, to name a format we refuse.</summary>
    internal byte[] Head { get; }

    internal long Length => _file.Size;

    /// <summary>The file opened, if it is still the one that was hashed; an IOException naming it otherwise.</summary>
    internal static PhotoFileSource Open(PhotoFile file)
    {
        var handle = file.Open();
        try
        {
            var head = new byte[(int)Math.Min(16, file.Size)];
            _ = RandomAccess.Read(handle, head, 0);
            // libvips dups the descriptor and reads it with its own offset; ours reads by position only.
            var source = OperatingSystem.IsWindows() ? Source.NewFromFile(file.Path) : Source.NewFromDescriptor((int)handle.DangerousGetHandle());
            return new PhotoFileSource(file, handle, source, head);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="SourceChangedException"/> when the file was written while it was decoded.</summary>
    internal void EnsureUnchanged() => _file.EnsureUnchanged(_handle);

    public void Dispose()
    {
        Source.Dispose();
        _handle.Dispose();
    }
}
