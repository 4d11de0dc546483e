using System.Buffers.Binary;
using System.Collections;
using System.Text;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Files a new <see cref="UpToDateRecord"/> will list, kept from when they are captured (before planning) to when the
/// record is written (the build's end) as the record's own bytes, in scratch blocks: a Markdown folder makes every
/// post a data file, and a million posts' keys and records were about 160 MB of the cold build's peak as objects. The
/// record copies the bytes as they are (<see cref="CopyTo"/>); enumerating decodes them. Appending and reading are for
/// one thread at a time.
/// </summary>
internal sealed class EncodedFiles : IReadOnlyCollection<(string Key, FileRecord File)>
{
    private readonly ScratchBlocks _blocks;

    /// <param name="besideFile">The file the scratch file goes beside (the manifest); null keeps the bytes in memory.</param>
    /// <param name="budget">The build's scratch budget, shared by its stores.</param>
    internal EncodedFiles(string? besideFile, ScratchBudget budget) =>
        _blocks = new ScratchBlocks(besideFile, "record-files", budget, makeFolder: true);

    public int Count { get; private set; }

    /// <summary>The bytes the files take in the record (its file section's length).</summary>
    internal long ByteLength { get; private set; }

    /// <summary>Keeps <paramref name="key"/> and <paramref name="file"/>, encoded as <see cref="RecordedFiles.Write"/> writes them.</summary>
    internal void Add(string key, FileRecord file)
    {
        var sha = file.Sha256;
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        var shaBytes = Encoding.UTF8.GetByteCount(sha);
        var size = SevenBitCount.Size(keyBytes) + keyBytes + 16 + SevenBitCount.Size(shaBytes) + shaBytes;
        _blocks.Append(size, (key, sha, file.Size, file.ModifiedTicks), static (span, entry) =>
        {
            var at = WriteText(span, entry.key);
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], entry.Size);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], entry.ModifiedTicks);
            WriteText(span[(at + 16)..], entry.sha);
        });
        Count++;
        ByteLength += size;
    }

    /// <summary>Writes the files' bytes, as kept, to <paramref name="to"/>.</summary>
    internal void CopyTo(Stream to)
    {
        foreach (var block in _blocks.InOrder())
        {
            to.Write(block.Span);
        }
    }

    public IEnumerator<(string Key, FileRecord File)> GetEnumerator()
    {
        foreach (var block in _blocks.InOrder())
        {
            for (var at = 0; at < block.Length;)
            {
                yield return Read(block.Span, ref at);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The files' keys alone, in order: their records are skipped, not decoded (no hash made into text).</summary>
    internal IEnumerable<string> Keys()
    {
        foreach (var block in _blocks.InOrder())
        {
            for (var at = 0; at < block.Length;)
            {
                var key = ReadText(block.Span, ref at);
                at += 16;
                var hashBytes = SevenBitCount.Read(block.Span, ref at);
                at += hashBytes;
                yield return key;
            }
        }
    }

    private static (string Key, FileRecord File) Read(ReadOnlySpan<byte> bytes, ref int at)
    {
        var key = ReadText(bytes, ref at);
        var size = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 8)..]);
        at += 16;
        return (key, new FileRecord(size, ticks, ReadText(bytes, ref at)));
    }

    /// <summary>Writes <paramref name="text"/> as <see cref="BinaryWriter.Write(string)"/> does (a 7-bit encoded byte count, then the UTF-8); returns the bytes written.</summary>
    private static int WriteText(Span<byte> to, string text)
    {
        var at = SevenBitCount.Write(to, Encoding.UTF8.GetByteCount(text));
        return at + Encoding.UTF8.GetBytes(text, to[at..]);
    }

    private static string ReadText(ReadOnlySpan<byte> bytes, ref int at)
    {
        var length = SevenBitCount.Read(bytes, ref at);
        var text = Encoding.UTF8.GetString(bytes.Slice(at, length));
        at += length;
        return text;
    }
}
