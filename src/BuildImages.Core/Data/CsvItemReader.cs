using System.Globalization;
using BuildImages.Core.Diagnostics;
using CsvHelper;
using CsvHelper.Configuration;

namespace BuildImages.Core.Data;

/// <summary>CSV with a header row (RFC 4180 quoting, via CsvHelper); every value is a string.</summary>
internal static class CsvItemReader
{
    internal static List<DataItem> Read(string file, string text)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null };
        using var csv = new CsvReader(new StringReader(text), config);
        var items = new List<DataItem>();
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                throw CardException.Error(DiagnosticCodes.DataSyntax, "CSV data needs a header row", file, 1, 1);
            }
            var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw CardException.Error(DiagnosticCodes.DataSyntax, $"CSV header names column '{duplicate.Key}' twice", file, 1, 1);
            }
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                if (csv.Parser.Count != header.Length)
                {
                    throw CardException.Error(DiagnosticCodes.DataSyntax, $"row has {csv.Parser.Count} fields but the header has {header.Length}", file, line, 1);
                }
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    fields[header[i]] = csv.GetField(i);
                }
                var id = fields.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? s : items.Count + 1 + string.Empty;
                items.Add(new DataItem(file, line, id, fields));
            }
        }
        catch (CsvHelperException ex)
        {
            throw CardException.Error(DiagnosticCodes.DataSyntax, "invalid CSV: " + ex.Message.Split('\n')[0], file, ex.Context?.Parser?.RawRow ?? 0, 1);
        }
        return items;
    }
}
