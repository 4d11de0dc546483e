using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The outputs of an <see cref="UpToDateRecord"/>, read from its file as they are enumerated, never held: a no-op of
/// a million items (four million outputs) walks them twice (to check them, then to report them) in a few megabytes. The
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

    /// <summary>Writes the outputs as <see cref="Read"/> reads them: empty strings stand for "the path" and "the same item as the output before".</summary>
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
