using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>Reads the file at its own position through the shared handle (positional reads: enumerations never disturb each other).</summary>
internal sealed class HandleStream(SafeFileHandle file, long position) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => RandomAccess.GetLength(file);

    public override long Position { get => position; set => position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = RandomAccess.Read(file, buffer, position);
        position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
