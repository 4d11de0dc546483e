using System.Net;
using System.Text;
using System.Text.Json;

// The site: one page per post in content/*.md and *.markdown (front matter 'title' and 'description'), plus an index. Each page's
// <head> gets the og:/twitter: tags BuildImages wrote for its card into wwwroot/images.json.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var site = Path.Combine(root, "wwwroot");
var tags = new Dictionary<string, string>(StringComparer.Ordinal);
var metadata = Path.Combine(site, "images.json");
if (File.Exists(metadata))
{
    using var doc = JsonDocument.Parse(File.ReadAllText(metadata));
    foreach (var item in doc.RootElement.GetProperty("items").EnumerateArray())
    {
        if (item.TryGetProperty("tags", out var t))
        {
            tags[item.GetProperty("item").GetString()!] = t.GetString()!;
        }
    }
}
var posts = new List<(string Slug, string Title)>();
foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "content")).Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".markdown", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
{
    var slug = Path.GetFileNameWithoutExtension(file);
    var front = FrontMatter(File.ReadAllText(file));
    var title = front.GetValueOrDefault("title") ?? slug;
    posts.Add((slug, title));
    Write(Path.Combine(site, "posts", slug + ".html"), Page(title, front.GetValueOrDefault("description") ?? string.Empty, tags.GetValueOrDefault(slug)));
}
var list = string.Concat(posts.Select(p => $"<li><a href=\"posts/{p.Slug}.html\">{WebUtility.HtmlEncode(p.Title)}</a></li>"));
Write(Path.Combine(site, "index.html"), Page("Acme Engineering Blog", "Posts", null).Replace("</body>", $"<ul>{list}</ul></body>", StringComparison.Ordinal));
Console.WriteLine($"site: {posts.Count} pages written to {site}");

static string Page(string title, string description, string? socialTags) => $"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title>
    <meta name="description" content="{WebUtility.HtmlEncode(description)}">
    {socialTags ?? string.Empty}
    </head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(description)}</p></body></html>
    """;

static Dictionary<string, string> FrontMatter(string text)
{
    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
    var lines = text.Split('\n');
    if (lines.Length == 0 || lines[0].Trim() != "---")
    {
        return fields;
    }
    foreach (var line in lines.Skip(1).TakeWhile(l => l.Trim() != "---"))
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            fields[line[..colon].Trim()] = line[(colon + 1)..].Trim().Trim('"');
        }
    }
    return fields;
}

static void Write(string path, string text)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, text, new UTF8Encoding(false));
}
