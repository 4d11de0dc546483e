using System.Buffers;

namespace BuildImages.Core.Manifest;

/// <summary>
/// A run of the up-to-date record's outputs as the file holds them, with where each output's path and written file
/// sit in the bytes and the size and time it was left with: what the no-op check needs, nothing decoded. Rented from
/// the shared pool; the one who checks it disposes it.
/// </summary>
internal sealed class OutputStampBlock : IDisposable
{
    private byte[]? _bytes;

    internal OutputStampBlock(byte[] bytes, OutputStamp[] stamps, int count)
    {
        _bytes = bytes;
        Stamps = stamps;
        Count = count;
    }

    /// <summary>The block's outputs (the first <see cref="Count"/> of them; the array is rented and may be longer).</summary>
    internal OutputStamp[] Stamps { get; }

    internal int Count { get; }

    /// <summary>The UTF-8 bytes of a stamp's output path as recorded.</summary>
    internal ReadOnlySpan<byte> PathOf(in OutputStamp stamp) => Bytes.AsSpan(stamp.PathStart, stamp.PathLength);

    /// <summary>The UTF-8 bytes of the file written for a stamp's output, relative to the output folder (its path unless they differ).</summary>
    internal ReadOnlySpan<byte> FileOf(in OutputStamp stamp) => Bytes.AsSpan(stamp.FileStart, stamp.FileLength);

    private byte[] Bytes => _bytes ?? throw new ObjectDisposedException(nameof(OutputStampBlock));

    public void Dispose()
    {
        if (_bytes is { } bytes)
        {
            _bytes = null;
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<OutputStamp>.Shared.Return(Stamps);
        }
    }
}

/// <summary>
/// One output of an <see cref="OutputStampBlock"/>: where its path and file are in the block's bytes, the size and time
/// that prove it unchanged, and whether both paths are plain (<see cref="RecordPaths.IsPlain"/>: safe by their bytes
/// alone, else to be decoded and checked in full).
/// </summary>
internal readonly record struct OutputStamp(int PathStart, int PathLength, int FileStart, int FileLength, long Bytes, long ModifiedTicks, bool Plain)
{
    /// <summary>Whether the file written is the output's path (then one check of the path covers both).</summary>
    internal bool FileIsPath => FileStart == PathStart && FileLength == PathLength;
}
