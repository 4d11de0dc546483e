using System.Buffers;
using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The outputs of an <see cref="UpToDateRecord"/>, read from its file as they are enumerated, never held: a no-op of
/// a million items (four million outputs) checks them as raw blocks (<see cref="StampBlocks"/>) and reports them by
/// decoding them again (the enumerator), in a few megabytes. The
/// file is the one opened when the record was loaded (the handle keeps it, even once a later build replaces the path),
/// so every enumeration reads the same outputs. Indexing reads forward from the nearest of every 1,024th output.
/// An enumeration that meets a damaged file throws <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class RecordedOutputs : IReadOnlyList<UpToDateOutput>
{
    private const int Stride = 1024;
    private readonly SafeFileHandle _file;
    private readonly long _start;
    private readonly string _endMark;
    private (long Offset, string Item)[]? _index;

    internal RecordedOutputs(SafeFileHandle file, long start, int count, string endMark)
    {
        _file = file;
        _start = start;
        Count = count;
        _endMark = endMark;
    }

    public int Count { get; }

    public UpToDateOutput this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var marks = _index ??= Index();
            var (offset, item) = marks[index / Stride];
            return Read(offset, item, (index % Stride) + 1, checkEnd: false).Last();
        }
    }

    public IEnumerator<UpToDateOutput> GetEnumerator() => Read(_start, string.Empty, Count, checkEnd: true).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The outputs as raw blocks of the file (about a megabyte each): each output's path, written file, size and time
    /// located in the bytes, nothing decoded, no string made: the no-op check of four million outputs spends its time in
    /// the system calls, not here. Ends by checking the end mark, like an enumeration; a damaged file throws
    /// <see cref="InvalidDataException"/>. Each block is the caller's to dispose.
    /// </summary>
    internal IEnumerable<OutputStampBlock> StampBlocks(int blockBytes = 1 << 20)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(blockBytes);
        var length = 0;
        var position = _start;
        var parsed = 0;
        // Fills the buffer behind what is in it (the part of an output the last block cut off).
        void Fill()
        {
            int read;
            while (length < bytes.Length && (read = RandomAccess.Read(_file, bytes.AsSpan(length), position)) > 0)
            {
                length += read;
                position += read;
            }
        }
        try
        {
            while (parsed < Count)
            {
                Fill();
                var stamps = ArrayPool<OutputStamp>.Shared.Rent(Math.Max(16, bytes.Length / 64));
                var (count, used) = Parse(bytes.AsSpan(0, length), stamps, Count - parsed);
                if (count == 0)
                {
                    ArrayPool<OutputStamp>.Shared.Return(stamps);
                    throw new InvalidDataException(length == bytes.Length
                        ? $"the up-to-date record's output {parsed} is larger than {bytes.Length} bytes"
                        : $"the up-to-date record ends inside output {parsed}");
                }
                parsed += count;
                var next = ArrayPool<byte>.Shared.Rent(blockBytes);
                bytes.AsSpan(used, length - used).CopyTo(next);
                var block = new OutputStampBlock(bytes, stamps, count);
                (bytes, length) = (next, length - used);
                yield return block;
            }
            Fill();
            var end = 0;
            if (!TryString(bytes.AsSpan(0, length), ref end, out var start, out var size) || !bytes.AsSpan(start, size).SequenceEqual(Encoding.UTF8.GetBytes(_endMark)))
            {
                throw new InvalidDataException("the up-to-date record does not end where its count says");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Locates up to <paramref name="most"/> whole outputs at the start of <paramref name="bytes"/>: how many, and the bytes they take.</summary>
    private static (int Count, int Used) Parse(ReadOnlySpan<byte> bytes, OutputStamp[] stamps, int most)
    {
        var count = 0;
        var used = 0;
        while (count < most && count < stamps.Length)
        {
            var at = used;
            if (!TryString(bytes, ref at, out var path, out var pathLength)
                || !TryString(bytes, ref at, out var file, out var fileLength)
                || !TryString(bytes, ref at, out _, out _)
                || !TrySkip(bytes, ref at, 8)
                || !TryString(bytes, ref at, out _, out _)
                || !TryInt64(bytes, ref at, out var size)
                || !TryString(bytes, ref at, out _, out _)
                || !TryInt64(bytes, ref at, out var ticks))
            {
                break;
            }
            // Whether both paths are plain is asked here, while their bytes are in the cache, not by the thread that
            // stats them after the kernel's look-up of the last name evicted them.
            var pathBytes = bytes.Slice(path, pathLength);
            stamps[count++] = fileLength == 0
                ? new OutputStamp(path, pathLength, path, pathLength, size, ticks, RecordPaths.IsPlain(pathBytes))
                : new OutputStamp(path, pathLength, file, fileLength, size, ticks, RecordPaths.IsPlain(pathBytes) && RecordPaths.IsPlain(bytes.Slice(file, fileLength)));
            used = at;
        }
        return (count, used);
    }

    /// <summary>A string as <see cref="BinaryWriter"/> writes it (a 7-bit encoded byte count, then UTF-8): where its bytes are, if they are all here.</summary>
    private static bool TryString(ReadOnlySpan<byte> bytes, ref int at, out int start, out int length)
    {
        (start, length) = (0, 0);
        // Most strings are shorter than 128 bytes: their length is one byte (five strings an output, four million outputs).
        if (at < bytes.Length && bytes[at] < 0x80)
        {
            var shortLength = bytes[at];
            if (bytes.Length - at - 1 < shortLength)
            {
                return false;
            }
            (start, length) = (at + 1, shortLength);
            at += 1 + shortLength;
            return true;
        }
        var value = 0u;
        for (var shift = 0; ; shift += 7)
        {
            if (at >= bytes.Length)
            {
                return false;
            }
            if (shift > 28)
            {
                throw new InvalidDataException("the up-to-date record holds a malformed string length");
            }
            var b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }
        if (value > int.MaxValue)
        {
            throw new InvalidDataException("the up-to-date record holds a malformed string length");
        }
        (start, length) = (at, (int)value);
        return TrySkip(bytes, ref at, (int)value);
    }

    private static bool TryInt64(ReadOnlySpan<byte> bytes, ref int at, out long value)
    {
        value = 0;
        if (bytes.Length - at < 8)
        {
            return false;
        }
        value = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
        at += 8;
        return true;
    }

    private static bool TrySkip(ReadOnlySpan<byte> bytes, ref int at, int count)
    {
        if (bytes.Length - at < count)
        {
            return false;
        }
        at += count;
        return true;
    }

    /// <summary>
    /// Writes the outputs as <see cref="Read"/> decodes them and <see cref="Parse"/> locates them (change all three
    /// together): empty strings stand for "the path" and "the same item as the output before".
    /// </summary>
    internal static void Write(BinaryWriter w, IEnumerable<UpToDateOutput> outputs)
    {
        string? previous = null;
        foreach (var o in outputs)
        {
            w.Write(o.Path);
            w.Write(o.File == o.Path ? string.Empty : o.File);
            w.Write(o.Item == previous ? string.Empty : o.Item);
            previous = o.Item;
            w.Write(o.Width);
            w.Write(o.Height);
            w.Write(o.Mime);
            w.Write(o.Bytes);
            w.Write(o.Key);
            w.Write(o.ModifiedTicks);
        }
    }

    private IEnumerable<UpToDateOutput> Read(long offset, string item, int take, bool checkEnd, List<(long, string)>? marks = null)
    {
        using var stream = new BufferedStream(new HandleStream(_file, offset), 1 << 16);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        for (var i = 0; i < take; i++)
        {
            if (marks is not null && i % Stride == 0)
            {
                marks.Add((stream.Position, item));
            }
            UpToDateOutput o;
            try
            {
                var path = r.ReadString();
                var written = r.ReadString();
                var named = r.ReadString();
                item = named.Length == 0 ? item : named;
                o = new UpToDateOutput(path, written.Length == 0 ? path : written, item, r.ReadInt32(), r.ReadInt32(), Mime(r.ReadString()), r.ReadInt64(), r.ReadString(), r.ReadInt64());
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"the up-to-date record's output {i} cannot be read ({ex.Message})", ex);
            }
            yield return o;
        }
        if (checkEnd && ReadEnd(r) != _endMark)
        {
            throw new InvalidDataException("the up-to-date record does not end where its count says");
        }
    }

    private static string? ReadEnd(BinaryReader r)
    {
        try
        {
            return r.ReadString();
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }

    private (long, string)[] Index()
    {
        var marks = new List<(long, string)>((Count / Stride) + 1);
        foreach (var _ in Read(_start, string.Empty, Count, checkEnd: false, marks))
        {
        }
        return [.. marks];
    }

    /// <summary>One string per MIME type instead of one per output.</summary>
    private static string Mime(string mime) => mime switch
    {
        "image/webp" => "image/webp",
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        "image/avif" => "image/avif",
        _ => mime,
    };
}
