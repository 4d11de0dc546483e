using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The input files of an <see cref="UpToDateRecord"/> (key path, size, time, hash), read from its file as they are
/// enumerated, never held: a Markdown folder makes every post a data file, and a no-op of 100,000 posts held about
/// 30 MB of them before it checked one. Read through the handle opened when the record was loaded, like
/// <see cref="RecordedOutputs"/>. An enumeration that meets a damaged file, or a key no build could have written
/// (<see cref="Planning.KeyPaths.IsCanonicalKey"/>: a planted key would make the no-op stat or hash any file),
/// throws <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class RecordedFiles : IReadOnlyCollection<(string Key, FileRecord File)>
{
    private readonly SafeFileHandle _file;
    private readonly long _start;
    private readonly long _length;

    internal RecordedFiles(SafeFileHandle file, long start, long length, int count)
    {
        _file = file;
        _start = start;
        _length = length;
        Count = count;
    }

    public int Count { get; }

    public IEnumerator<(string Key, FileRecord File)> GetEnumerator()
    {
        using var stream = new BufferedStream(new HandleStream(_file, _start), 1 << 16);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        for (var i = 0; i < Count; i++)
        {
            (string, FileRecord) file;
            try
            {
                file = (r.ReadString(), new FileRecord(r.ReadInt64(), r.ReadInt64(), r.ReadString()));
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"the up-to-date record's file {i} cannot be read ({ex.Message})", ex);
            }
            if (!Planning.KeyPaths.IsCanonicalKey(file.Item1))
            {
                throw new InvalidDataException($"the up-to-date record's file {i} has a key no build writes");
            }
            yield return file;
        }
        if (stream.Position != _start + _length)
        {
            throw new InvalidDataException("the up-to-date record's files do not end where their length says");
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes the files as <see cref="UpToDateRecord.Load"/> and the enumerator read them: their count, their bytes' length, then each file.</summary>
    internal static void Write(BinaryWriter w, IReadOnlyCollection<(string Key, FileRecord File)> files)
    {
        if (files is EncodedFiles encoded)
        {
            // Already the section's bytes (a build's new record): copied, never decoded.
            w.Write(encoded.Count);
            w.Write(encoded.ByteLength);
            w.Flush();
            encoded.CopyTo(w.BaseStream);
            return;
        }
        // The length is counted in a first pass, not measured by writing to a buffer: a million files' buffer, grown by
        // doubling, was 256 MB at the build's end. (Streamed files are read twice; they are the rare record rewritten.)
        var length = 0L;
        foreach (var (key, record) in files)
        {
            length += StringLength(key) + 8 + 8 + StringLength(record.Sha256);
        }
        w.Write(files.Count);
        w.Write(length);
        foreach (var (key, record) in files)
        {
            w.Write(key);
            w.Write(record.Size);
            w.Write(record.ModifiedTicks);
            w.Write(record.Sha256);
        }
    }

    /// <summary>The bytes <see cref="BinaryWriter.Write(string)"/> writes: a 7-bit encoded byte count, then the UTF-8.</summary>
    private static int StringLength(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        return Primitives.SevenBitCount.Size(bytes) + bytes;
    }
}
