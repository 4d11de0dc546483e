using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using BuildImages.Core.Manifest;
using Microsoft.Win32.SafeHandles;

namespace BuildImages.Core.Build;

/// <summary>
/// Every output's outcome a build logs, kept for its report: serialised into blocks, held in memory up to a budget and
/// then in a scratch file beside the manifest, with only the output's path (the plan's string) and the outcome's place
/// held per output (24 bytes instead of an object of 140: a million-item build logs four million). The report reads
/// them back in path order as it is read, so the file stays open with the report: it has no name on Linux and macOS
/// (unlinked once open), and on Windows it is deleted when closed. If it cannot be made or written, blocks stay in memory.
/// </summary>
internal sealed class OutcomeSpill
{
    private const int BlockBytes = 64 * 1024;

    private readonly string? _manifestFile;
    private readonly long _memoryBudget;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    /// <summary>Filled blocks: their bytes while the budget lasts, else their place in the file.</summary>
    private readonly List<Block> _blocks = [];

    private byte[] _current = new byte[BlockBytes];
    private int _used;
    private long _held;
    private long _fileEnd;
    private SafeFileHandle? _file;
    private bool _unusable;
    private bool _sorted;

    /// <param name="manifestFile">The manifest the scratch file goes beside; null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="memoryBudget">Bytes of serialised outcomes held in memory before the file is used.</param>
    internal OutcomeSpill(string? manifestFile, long memoryBudget = RecordSpill.DefaultMemoryBudget)
    {
        _manifestFile = manifestFile;
        _memoryBudget = memoryBudget;
    }

    /// <summary>Whether a scratch file holds some of the outcomes (for tests).</summary>
    internal bool UsesFile
    {
        get
        {
            lock (_lock)
            {
                return _file is not null;
            }
        }
    }

    internal void Add(OutputOutcome outcome)
    {
        var size = Size(outcome);
        lock (_lock)
        {
            if (_sorted)
            {
                throw new InvalidOperationException("an outcome was logged after the report read the log");
            }
            if (_used + size > _current.Length)
            {
                Seal(Math.Max(BlockBytes, size));
            }
            Write(outcome, _current.AsSpan(_used, size));
            _entries.Add(new Entry(outcome.Path, _blocks.Count, _used, size));
            _used += size;
        }
    }

    /// <summary>
    /// The outcomes in path order (ordinal), each read back when it is read. Ends the log: an outcome logged after this
    /// is a bug, and throws.
    /// </summary>
    internal IReadOnlyList<OutputOutcome> SortedByPath()
    {
        lock (_lock)
        {
            if (!_sorted)
            {
                CollectionsMarshal.AsSpan(_entries).Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
                _sorted = true;
            }
        }
        return new Sorted(this);
    }

    private OutputOutcome Read(Entry entry)
    {
        byte[] bytes;
        var start = entry.Offset;
        lock (_lock)
        {
            if (entry.Block == _blocks.Count)
            {
                bytes = _current;
            }
            else if (_blocks[entry.Block].Bytes is { } held)
            {
                bytes = held;
            }
            else
            {
                bytes = new byte[entry.Length];
                start = 0;
                var at = _blocks[entry.Block].FileOffset + entry.Offset;
                for (var done = 0; done < entry.Length;)
                {
                    var read = RandomAccess.Read(_file!, bytes.AsSpan(done), at + done);
                    if (read == 0)
                    {
                        throw new IOException("the build's scratch file of outcomes ended early: something truncated it");
                    }
                    done += read;
                }
            }
        }
        return Parse(entry.Path, bytes.AsSpan(start, entry.Length));
    }

    /// <summary>Files the current block (in memory while the budget lasts, else in the file) and starts the next.</summary>
    private void Seal(int nextSize)
    {
        var filled = _current.AsSpan(0, _used);
        if (_held + _used > _memoryBudget && Writable() is { } file)
        {
            try
            {
                RandomAccess.Write(file, filled, _fileEnd);
                _blocks.Add(new Block(null, _fileEnd));
                _fileEnd += _used;
                _current = _current.Length >= nextSize ? _current : new byte[nextSize];
                _used = 0;
                return;
            }
            catch (IOException)
            {
                // A full disk: this block and the rest stay in memory (the build is bigger, not broken).
                _unusable = true;
            }
        }
        // Kept whole: its unused end is shorter than the outcome that did not fit.
        _blocks.Add(new Block(_current, 0));
        _held += _current.Length;
        _current = new byte[Math.Max(BlockBytes, nextSize)];
        _used = 0;
    }

    private SafeFileHandle? Writable()
    {
        if (_file is null && !_unusable && _manifestFile is not null)
        {
            try
            {
                var path = Primitives.AtomicFile.ScratchNameFor(_manifestFile, "outcomes");
                _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
                if (!OperatingSystem.IsWindows())
                {
                    // Read through the open handle only: no name is left behind, whenever the report is dropped.
                    File.Delete(path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _file?.Dispose();
                _file = null;
                _unusable = true;
            }
        }
        return _unusable ? null : _file;
    }

    // The serialised outcome, without its path (the entry holds it): status, width, height, bytes, reason, key, item, format.
    private static int Size(OutputOutcome o) =>
        1 + 4 + 4 + 8
        + 1 + (o.Reason is { } reason ? TextSize(reason.Detail) : 0)
        + 1 + (o.Key is { } key ? (IsPacked(key) ? 32 : TextSize(key)) : 0)
        + TextSize(o.Item) + TextSize(o.Format);

    private static void Write(OutputOutcome o, Span<byte> to)
    {
        to[0] = (byte)o.Status;
        BinaryPrimitives.WriteInt32LittleEndian(to[1..], o.Width);
        BinaryPrimitives.WriteInt32LittleEndian(to[5..], o.Height);
        BinaryPrimitives.WriteInt64LittleEndian(to[9..], o.Bytes);
        var at = 17;
        if (o.Reason is { } reason)
        {
            to[at++] = (byte)reason.Kind;
            at += WriteText(reason.Detail, to[at..]);
        }
        else
        {
            to[at++] = byte.MaxValue;
        }
        if (o.Key is not { } key)
        {
            to[at++] = 0;
        }
        else if (IsPacked(key))
        {
            to[at++] = 1;
            Convert.FromHexString(key, to.Slice(at, 32), out _, out _);
            at += 32;
        }
        else
        {
            to[at++] = 2;
            at += WriteText(key, to[at..]);
        }
        at += WriteText(o.Item, to[at..]);
        WriteText(o.Format, to[at..]);
    }

    private static OutputOutcome Parse(string path, ReadOnlySpan<byte> from)
    {
        var status = (OutputStatus)from[0];
        var width = BinaryPrimitives.ReadInt32LittleEndian(from[1..]);
        var height = BinaryPrimitives.ReadInt32LittleEndian(from[5..]);
        var bytes = BinaryPrimitives.ReadInt64LittleEndian(from[9..]);
        var at = 17;
        RenderReason? reason = null;
        var kind = from[at++];
        if (kind != byte.MaxValue)
        {
            reason = new RenderReason((RenderReasonKind)kind, ReadText(from, ref at));
        }
        string? key = null;
        switch (from[at++])
        {
            case 1:
                key = Convert.ToHexStringLower(from.Slice(at, 32));
                at += 32;
                break;
            case 2:
                key = ReadText(from, ref at);
                break;
        }
        var item = ReadText(from, ref at);
        var format = Primitives.SharedStrings.Get(ReadText(from, ref at));
        return new OutputOutcome(path, item, status, reason, width, height, format, bytes, key);
    }

    private static bool IsPacked(string key) => key.Length == 64 && !key.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static int TextSize(string text) => 4 + Encoding.UTF8.GetByteCount(text);

    private static int WriteText(string text, Span<byte> to)
    {
        var length = Encoding.UTF8.GetBytes(text, to[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(to, length);
        return 4 + length;
    }

    private static string ReadText(ReadOnlySpan<byte> from, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(from[at..]);
        var text = Encoding.UTF8.GetString(from.Slice(at + 4, length));
        at += 4 + length;
        return text;
    }

    /// <summary>One outcome: its output's path, and where its bytes are (block, offset in it, length).</summary>
    private readonly record struct Entry(string Path, int Block, int Offset, int Length);

    /// <summary>A filled block: its bytes, or (null) its offset in the file.</summary>
    private readonly record struct Block(byte[]? Bytes, long FileOffset);

    /// <summary>The log in path order, read back entry by entry.</summary>
    private sealed class Sorted(OutcomeSpill spill) : IReadOnlyList<OutputOutcome>
    {
        public int Count => spill._entries.Count;

        public OutputOutcome this[int index] => spill.Read(spill._entries[index]);

        public IEnumerator<OutputOutcome> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
