using System.Globalization;
using System.Text;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Outputs written but not yet named by a saved manifest, in a file beside the manifest
/// (<c>.buildimages-manifest.pending</c>): one line per output, appended before the file takes its name, with the
/// record it belongs to, its size and content hash. A save of the manifest drops the lines it covers. A build that was
/// killed between writing outputs and saving the manifest leaves lines behind; the next build removes each such file
/// that no record names and that still has the bytes the line says (never a file someone else wrote or changed), then
/// the journal. Lines are checked like manifest paths before anything is done with them: the journal is a
/// bookkeeping file that may come from a CI cache.
/// <para>
/// The file is the only copy of the lines: a save reads them back rather than a table held beside them, which at a
/// million outputs would hold a record key, a path and a 64-character hash for each until the build's end.
/// </para>
/// </summary>
internal sealed class OutputJournal(string file) : IDisposable
{
    private readonly Lock _lock = new();

    /// <summary>
    /// The journal open for appending from the first line a build writes until a save rewrites it: opening and closing it
    /// for every line was an eighth of the CPU of a build that mostly copies equal cards.
    /// </summary>
    private FileStream? _append;

    /// <summary>The journal of the manifest at <paramref name="manifestFile"/>.</summary>
    internal static string PathFor(string manifestFile) => Path.ChangeExtension(manifestFile, ".pending");

    internal string File { get; } = file;

    /// <summary>Notes an output about to take its name (called before the rename, so a kill right after leaves the line).</summary>
    internal void Writing(string recordKey, string outputFile, long bytes, string sha256)
    {
        var line = Encoding.UTF8.GetBytes(new Entry(recordKey, outputFile, bytes, sha256).Line() + "\n");
        lock (_lock)
        {
            if (_append is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
                // Unbuffered: each line is written to the system at once (a killed process's writes survive it); made durable with its batch.
                _append = new FileStream(File, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            }
            _append.Write(line);
        }
    }

    /// <summary>
    /// Where the journal ends now (its length in bytes, always at a line's end). Taken before a save takes its snapshot of
    /// the records: a line after it is of an output written after the snapshot, which that save cannot cover.
    /// </summary>
    internal long Mark()
    {
        lock (_lock)
        {
            return _append?.Length ?? (System.IO.File.Exists(File) ? new FileInfo(File).Length : 0);
        }
    }

    /// <summary>
    /// After the manifest was saved: lines before <paramref name="mark"/> (see <see cref="Mark"/>; long.MaxValue for a
    /// save nothing wrote beside, which covers every line) whose output that
    /// manifest records (same file and hash) are done with; of several lines there for one output the last counts, as
    /// the last write is the file's. The lines after the mark are kept as they are, copied, not read: a checkpoint of a
    /// million-record manifest takes seconds, and the lines the workers wrote meanwhile (130,000 in a heap dump of the
    /// million-item cold build) were held as strings and joined into one, about 80 MB at once.
    /// </summary>
    internal void Saved(long mark, Func<string, ItemRecord?> recorded)
    {
        lock (_lock)
        {
            // The file is removed or replaced below: the next line goes to the new one.
            CloseAppend();
            if (!System.IO.File.Exists(File))
            {
                return;
            }
            // Only the lines still open are held: none after the last save of a build that finished.
            var open = new Dictionary<string, string>(StringComparer.Ordinal);
            // An item's outputs are written one after another, so its lines are near each other: each record is read once
            // for them, not once per line (a read deserialises the record, maybe from the scratch file).
            var near = new Dictionary<string, ItemRecord?>(StringComparer.Ordinal);
            long length;
            using (var reader = new StreamReader(File, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false))
            {
                length = reader.BaseStream.Length;
                mark = Math.Min(mark, length);
                // Lines are ours, UTF-8 with a line feed each, so their byte counts add up to the mark exactly.
                for (var read = 0L; read < mark && reader.ReadLine() is { } line;)
                {
                    read += Encoding.UTF8.GetByteCount(line) + 1;
                    if (Entry.Parse(line) is not { } entry)
                    {
                        continue;
                    }
                    if (!near.TryGetValue(entry.RecordKey, out var record))
                    {
                        if (near.Count == 64)
                        {
                            near.Clear();
                        }
                        near[entry.RecordKey] = record = recorded(entry.RecordKey);
                    }
                    if (Records(record, entry))
                    {
                        open.Remove(entry.File);
                    }
                    else
                    {
                        open[entry.File] = line;
                    }
                }
            }
            if (open.Count == 0 && mark == length)
            {
                System.IO.File.Delete(File);
                return;
            }
            AtomicFile.Write(File, stream =>
            {
                foreach (var line in open.Values)
                {
                    stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
                }
                using var old = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                old.Position = mark;
                old.CopyTo(stream);
            });
        }
    }

    /// <summary>
    /// Before a build acts: outputs a killed build wrote and never recorded are removed (only when they still hold the
    /// bytes it wrote), then the journal. Returns what was removed, and a warning for each line that could not be trusted.
    /// </summary>
    internal (List<string> Removed, List<Diagnostic> Warnings) Sweep(string outputDirectory, Func<string, ItemRecord?> recorded)
    {
        var removed = new List<string>();
        var warnings = new List<Diagnostic>();
        if (!System.IO.File.Exists(File))
        {
            return (removed, warnings);
        }
        var lines = System.IO.File.ReadAllLines(File);
        var folder = new OutputFolder(outputDirectory);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            if (Entry.Parse(lines[i]) is not { } entry || (RecordPaths.Problem(entry.File) ?? folder.Escape(entry.File)) is { } problem)
            {
                warnings.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"line {i + 1} of the pending-outputs journal is not one BuildImages writes; ignored", File, i + 1));
                continue;
            }
            if (Records(recorded(entry.RecordKey), entry))
            {
                continue;
            }
            var full = Path.Combine(outputDirectory, entry.File);
            var info = new FileInfo(full);
            if (info.Exists && info.LinkTarget is null && info.Length == entry.Bytes && ContentHash.OfFile(full) == entry.Sha256)
            {
                info.Delete();
                removed.Add(entry.File);
            }
        }
        System.IO.File.Delete(File);
        return (removed, warnings);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            CloseAppend();
        }
    }

    private void CloseAppend()
    {
        _append?.Dispose();
        _append = null;
    }

    private static bool Records(ItemRecord? record, Entry entry) =>
        record?.Variants.Any(v => v.File == entry.File && v.Sha256 == entry.Sha256) == true;

    private sealed record Entry(string RecordKey, string File, long Bytes, string Sha256)
    {
        internal string Line() => string.Create(CultureInfo.InvariantCulture, $"{Sha256}\t{Bytes}\t{File}\t{RecordKey}");

        internal static Entry? Parse(string line)
        {
            var parts = line.Split('\t', 4);
            return parts.Length == 4 && parts[0].Length == 64 && parts[0].All(char.IsAsciiHexDigitLower)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                ? new Entry(parts[3], parts[2], bytes, parts[0]) : null;
        }
    }
}
