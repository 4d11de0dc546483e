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
        // Measured first: a no-op steps over the files to the outputs without reading them.
        using var buffer = new MemoryStream();
        using (var section = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var (key, record) in files)
            {
                section.Write(key);
                section.Write(record.Size);
                section.Write(record.ModifiedTicks);
                section.Write(record.Sha256);
            }
        }
        w.Write(files.Count);
        w.Write(buffer.Length);
        w.Flush();
        w.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
