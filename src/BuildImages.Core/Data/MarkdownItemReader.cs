using System.Text.RegularExpressions;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;
using Markdig;

namespace BuildImages.Core.Data;

/// <summary>
/// A Markdown file as one item: its YAML front matter, <c>slug</c> from the file name (unless the front
/// matter sets one), and <c>excerpt</c>: the body's first 200 characters of plain text, cut at a word.
/// </summary>
internal static partial class MarkdownItemReader
{
    private const int ExcerptLength = 200;

    internal static DataItem Read(string file, string text)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var body = text;
        var m = FrontMatter().Match(text);
        if (m.Success)
        {
            var parsed = YamlItemReader.Parse(file, m.Groups["yaml"].Value, 1);
            if (parsed is Dictionary<string, object?> map)
            {
                foreach (var (k, v) in map)
                {
                    fields[k] = v;
                }
            }
            else if (parsed is not null)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "front matter must be a YAML mapping (key: value lines)", file, 2, 1);
            }
            body = text[m.Length..];
        }
        else if (text.StartsWith("---", StringComparison.Ordinal))
        {
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, "front matter starts with '---' but has no closing '---' line", file, 1, 1);
        }
        if (!fields.TryGetValue("slug", out var slug) || slug is not string s || s.Length == 0)
        {
            fields["slug"] = Slug.Make(Path.GetFileNameWithoutExtension(file));
        }
        if (!fields.ContainsKey("excerpt"))
        {
            var plain = Whitespace().Replace(Markdown.ToPlainText(body), " ").Trim();
            fields["excerpt"] = CardFunctions.Shorten(plain, ExcerptLength, "…");
        }
        return new DataItem(file, 1, (string)fields["slug"]!, fields);
    }

    [GeneratedRegex(@"\A---[ \t]*\r?\n(?<yaml>.*?)\r?\n---[ \t]*(\r?\n|\z)", RegexOptions.Singleline)]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
