using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using CsvHelper;
using CsvHelper.Configuration;

namespace BuildImages.Core.Data;

/// <summary>
/// CSV with a header row (RFC 4180 quoting, via CsvHelper); every value is a string. Read a block of rows at a time,
/// never whole: a batch build plans each block as it comes. A million rows read whole were the file as a string (twice
/// its bytes) and a million items as objects, held at once at the end of reading.
/// </summary>
/// <remarks>
/// Two passes over the file: the first checks it is UTF-8 and that every quoted field closes (CsvHelper would read an
/// unclosed one on to the end of the file as one value), holding a buffer; the second parses it. A file that is not
/// UTF-8 is then read whole, only to say where (<see cref="Utf8Text.ReadBytes"/>, as for the other formats).
/// </remarks>
internal static class CsvItemReader
{
    // The bytes each pass reads at once.
    private const int BufferBytes = 1 << 16;

    /// <summary>
    /// Hands <paramref name="take"/> the rows of <paramref name="file"/> as items, at most <paramref name="blockItems"/>
    /// at a time, in the file's order. A malformed file throws its <see cref="BuildInputException"/>, possibly after some
    /// blocks were taken: those items are then not the file's (the caller drops them).
    /// </summary>
    /// <param name="file">The data file.</param>
    /// <param name="take">Takes each block of items.</param>
    /// <param name="blockItems">The most items in a block.</param>
    /// <param name="bufferBytes">The bytes read at once (tests make it small, to cut characters, quotes and rows).</param>
    internal static void Read(string file, Action<IReadOnlyList<DataItem>> take, int blockItems = JsonItemStream.BlockItems, int bufferBytes = BufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 4);
        if (Check(file, bufferBytes) is var (quoteLine, quoteColumn))
        {
            // CsvHelper would read on to the end of the file and make the rest one multi-line value.
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "a quoted field is never closed (a '\"' without its closing '\"')", file, quoteLine, quoteColumn);
        }
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null };
        // Decoding that throws: the file was checked, so bytes that are not UTF-8 now mean it changed since. The encoding
        // has a preamble, so a byte order mark is skipped, not read as the first column's name.
        using var text = new StreamReader(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferBytes);
        using var csv = new CsvReader(text, config);
        var rows = new Rows(file, csv);
        while (rows.Next(blockItems) is { Count: > 0 } block)
        {
            take(block);
        }
    }

    /// <summary>
    /// The first pass: throws the located error if the file is not UTF-8; else where a field that opens with a quote
    /// runs to the end of the file without closing, or null.
    /// </summary>
    private static (int Line, int Column)? Check(string file, int bufferBytes)
    {
        var scan = new QuoteScan();
        var bytes = ArrayPool<byte>.Shared.Rent(bufferBytes);
        // UTF-8 never decodes to more UTF-16 code units than it has bytes.
        var chars = ArrayPool<char>.Shared.Rent(bufferBytes);
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            var (held, start) = (0, true);
            while (true)
            {
                var read = stream.Read(bytes, held, bufferBytes - held);
                var span = bytes.AsSpan(0, held + read);
                if (start && (span.Length >= Utf8Text.ByteOrderMark.Length || read == 0))
                {
                    span = span.StartsWith(Utf8Text.ByteOrderMark) ? span[Utf8Text.ByteOrderMark.Length..] : span;
                    start = false;
                }
                else if (start)
                {
                    // Not yet enough bytes to tell a byte order mark.
                    held = span.Length;
                    continue;
                }
                var status = Utf8.ToUtf16(span, chars, out var used, out var written, replaceInvalidSequences: false, isFinalBlock: read == 0);
                if (status is OperationStatus.InvalidData || (read == 0 && status is not OperationStatus.Done))
                {
                    Utf8Text.ReadBytes(file, DiagnosticCodes.DataSyntax);
                    throw DataLoader.ChangedWhileRead(file);
                }
                scan.Feed(chars.AsSpan(0, written));
                if (read == 0)
                {
                    return scan.End();
                }
                // A character cut off by the buffer's end is decoded with the bytes after it.
                span[used..].CopyTo(bytes);
                held = span.Length - used;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The second pass: the header, then the rows a block at a time.</summary>
    private sealed class Rows(string file, CsvReader csv)
    {
        // Values that repeat down a column (an author, a category, a site name) held once; a pool per file, dropped with it.
        private readonly SharedStrings _values = new(SharedStrings.DefaultCapacity);
        private FieldNames? _names;
        private int _count;
        // The line the last row ended on (the header's, to begin with).
        private int _lastLine;

        /// <summary>The next rows as items, at most <paramref name="most"/>; none at the file's end.</summary>
        internal List<DataItem> Next(int most)
        {
            var items = new List<DataItem>(Math.Min(most, 1024));
            try
            {
                var names = _names ??= Header();
                while (items.Count < most && csv.Read())
                {
                    var line = StartLine();
                    if (csv.Parser.Count != names.Names.Length)
                    {
                        throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"row has {csv.Parser.Count} fields but the header has {names.Names.Length}", file, line, 1);
                    }
                    var row = new object?[names.Names.Length];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = csv.GetField(i) is { } value ? _values.Share(value) : null;
                    }
                    var fields = new FieldRow(names, row);
                    items.Add(new DataItem(file, line, DataLoader.IdOf(fields, _count), fields));
                    _count++;
                }
            }
            catch (CsvHelperException ex)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "invalid CSV: " + ex.Message.Split('\n')[0], file, ex.Context?.Parser?.RawRow ?? 0, 1);
            }
            catch (DecoderFallbackException)
            {
                throw DataLoader.ChangedWhileRead(file);
            }
            return items;
        }

        /// <summary>
        /// The line the row just read starts on. The parser counts to the row's end: a quoted field over several lines,
        /// or blank lines skipped before it, put that past its start, and the row's raw text (made only then) says how far.
        /// </summary>
        private int StartLine()
        {
            var end = csv.Parser.RawRow;
            var previous = _lastLine;
            _lastLine = end;
            if (end == previous + 1)
            {
                return end;
            }
            var raw = csv.Parser.RawRecord.AsSpan().TrimEnd("\r\n");
            return end - raw.Count('\n');
        }

        // Every row names the header's fields: the names held once, each row's values in an array.
        private FieldNames Header()
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "CSV data needs a header row", file, 1, 1);
            }
            var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"CSV header names column '{duplicate.Key}' twice", file, 1, 1);
            }
            _lastLine = csv.Parser.RawRow;
            return new FieldNames([.. header.Select(SharedStrings.Get)]);
        }
    }

    /// <summary>
    /// Finds a field that opens with a quote and never closes (RFC 4180: "" inside is a quote), fed the text a piece at
    /// a time. Lines and columns (1-based) count characters.
    /// </summary>
    private sealed class QuoteScan
    {
        private int _line = 1;
        private int _column;
        private bool _fieldStart = true;
        private (int Line, int Column)? _open;
        // A quote inside a quoted field was the piece's last character: the next decides whether it closes the field.
        private bool _quoteInField;

        internal void Feed(ReadOnlySpan<char> text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var ch = text[i];
                if (_quoteInField)
                {
                    _quoteInField = false;
                    if (ch == '"')
                    {
                        // An escaped quote: the field goes on.
                        _column++;
                        continue;
                    }
                    _open = null;
                }
                (_line, _column) = ch == '\n' ? (_line + 1, 0) : (_line, _column + 1);
                if (_open is not null)
                {
                    _quoteInField = ch == '"';
                    continue;
                }
                if (ch == '"' && _fieldStart)
                {
                    _open = (_line, _column);
                }
                _fieldStart = ch is ',' or ';' or '\t' or '\n' or '|' || (ch == '\r' && _fieldStart);
            }
        }

        /// <summary>Where the field that never closed opened, once the text is all fed; null when every quote closed.</summary>
        internal (int Line, int Column)? End() => _quoteInField ? null : _open;
    }
}
