using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using CsvHelper;
using CsvHelper.Configuration;

namespace BuildImages.Core.Data;

/// <summary>CSV with a header row (RFC 4180 quoting, via CsvHelper); every value is a string.</summary>
internal static class CsvItemReader
{
    internal static List<DataItem> Read(string file, string text)
    {
        if (UnterminatedQuote(text) is var (quoteLine, quoteColumn))
        {
            // CsvHelper would read on to the end of the file and make the rest one multi-line value.
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "a quoted field is never closed (a '\"' without its closing '\"')", file, quoteLine, quoteColumn);
        }
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null };
        using var csv = new CsvReader(new StringReader(text), config);
        var items = new List<DataItem>();
        try
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
            // Values that repeat down a column (an author, a category, a site name) held once; a pool per file, dropped with it.
            var values = new SharedStrings(SharedStrings.DefaultCapacity);
            // Every row names the header's fields: the names held once, each row's values in an array.
            var names = new FieldNames([.. header.Select(SharedStrings.Get)]);
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                if (csv.Parser.Count != header.Length)
                {
                    throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"row has {csv.Parser.Count} fields but the header has {header.Length}", file, line, 1);
                }
                var row = new object?[header.Length];
                for (var i = 0; i < header.Length; i++)
                {
                    row[i] = csv.GetField(i) is { } value ? values.Share(value) : null;
                }
                var fields = new FieldRow(names, row);
                var id = fields.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? s : items.Count + 1 + string.Empty;
                items.Add(new DataItem(file, line, id, fields));
            }
        }
        catch (CsvHelperException ex)
        {
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "invalid CSV: " + ex.Message.Split('\n')[0], file, ex.Context?.Parser?.RawRow ?? 0, 1);
        }
        return items;
    }

    /// <summary>Where a field that opens with a quote runs to the end of the text without closing (RFC 4180: "" inside is a quote), or null.</summary>
    private static (int Line, int Column)? UnterminatedQuote(string text)
    {
        var (line, column) = (1, 0);
        var fieldStart = true;
        (int, int)? open = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            (line, column) = ch == '\n' ? (line + 1, 0) : (line, column + 1);
            if (open is not null)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i++;
                        column++;
                    }
                    else
                    {
                        open = null;
                    }
                }
                continue;
            }
            if (ch == '"' && fieldStart)
            {
                open = (line, column);
            }
            fieldStart = ch is ',' or ';' or '\t' or '\n' or '|' || (ch == '\r' && fieldStart);
        }
        return open;
    }
}
