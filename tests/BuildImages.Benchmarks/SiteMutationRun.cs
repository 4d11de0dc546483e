using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--site-mutations N [SEED]</c>: a small site made from the bundled sample (its templates copied in, its data
/// cut to two items, plus YAML, CSV and Markdown data), damaged N times, one file each time (the configuration, a data
/// file, a template, an SVG or JPEG asset) by truncation, changed bytes or inserted tokens the parsers care about, and
/// built. Every outcome must be the build's own: a configuration error thrown as <see cref="BuildInputException"/>, or
/// a report whose errors carry codes other than BI0009, with no temporary file left in the output folder and a
/// manifest that parses. An exception escaping the build, a BI0009 or a damaged output folder is a bug, and the site
/// is kept to reproduce it. Prints the count of each outcome; exits 1 when any is a bug.
/// <c>--site-mutations N SEED bookkeeping</c> builds the site once and then damages one of the build's own files
/// instead (the manifest, its up-to-date record and stat cache, images.json) before building again: that build must
/// also write every output and images.json byte for byte as the first did.
/// </summary>
internal static class SiteMutationRun
{
    private static readonly string[] Tokens =
    [
        "{{", "}}", "{%", "%}", "<", ">", "/>", "</text>", "\"", "'", "\\", "\\u", "\\ud800", "\0", "\uFFFD", "---", "\n", "\r\n", ",", ":", "[", "]", "{", "}",
        "&", "&#x0;", "&#1114112;", "${", "#", "|", "- ", "  ", "\t", "1e999", "-0", "null", "true", "%", "*", "..", "../", "/etc/passwd", "\u202E", "\U0001F600",
        "<![CDATA[", "<!--", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "999999999", "-1", "NaN",
    ];

    internal static int Run(string[] args, TextWriter o)
    {
        var count = int.Parse(args.ElementAtOrDefault(0) ?? "200", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(args.ElementAtOrDefault(1) ?? "1", CultureInfo.InvariantCulture));
        var root = Directory.CreateTempSubdirectory("bi-site-mutations-").FullName;
        var site = Path.Combine(root, "base");
        MakeSite(site);
        var bookkeeping = args.ElementAtOrDefault(2) == "bookkeeping";
        SortedDictionary<string, string>? built = null;
        if (bookkeeping)
        {
            // Built once; then each copy has one of the build's own files damaged and is built again, which must put
            // back exactly what the first build wrote.
            if (Build(site) is { Bug: { } failed })
            {
                o.WriteLine("the undamaged site did not build: " + failed);
                return 2;
            }
            built = Written(site);
        }
        var files = (bookkeeping
                ? Directory.GetFiles(Path.Combine(site, "out"), "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is var n && (n.StartsWith(".buildimages-", StringComparison.Ordinal) || n == "images.json"))
                : Directory.GetFiles(site, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}fonts{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToArray();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bugs = 0;
        for (var i = 0; i < count; i++)
        {
            var copy = Path.Combine(root, $"s{i}");
            CopyFolder(site, copy);
            var victim = files[random.Next(files.Length)];
            var target = Path.Combine(copy, Path.GetRelativePath(site, victim));
            File.WriteAllBytes(target, ByteDamage.Damage(File.ReadAllBytes(target), random, Tokens, maxChanged: 6, lowest: 0, highest: 256));
            var (outcome, bug) = Build(copy);
            if (bug is null && built is not null && Difference(built, Written(copy)) is { } different)
            {
                (outcome, bug) = ("bug", "the build after the damage did not write what the first build wrote: " + different);
            }
            var key = $"{Path.GetFileName(victim)}: {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            if (bug is null)
            {
                Directory.Delete(copy, recursive: true);
                continue;
            }
            bugs++;
            o.WriteLine($"{i} ({Path.GetRelativePath(site, victim)}): {bug}");
        }
        foreach (var (key, n) in outcomes)
        {
            o.WriteLine($"{n,5}  {key}");
        }
        o.WriteLine($"{count} damaged sites, {bugs} bugs");
        if (bugs == 0)
        {
            Directory.Delete(root, recursive: true);
        }
        else
        {
            o.WriteLine($"kept to reproduce: {root}");
        }
        return bugs == 0 ? 0 : 1;
    }

    private static (string Outcome, string? Bug) Build(string site)
    {
        BuildReport report;
        try
        {
            report = new BatchBuilder(ConfigLoader.Load(Path.Combine(site, "buildimages.json"))).Run();
        }
        catch (BuildInputException ex)
        {
            return ($"refused {ex.Diagnostic.Code}", null);
        }
        catch (Exception ex)
        {
            return ("bug", ex.ToString());
        }
        var internalErrors = report.Errors.Where(e => e.Code == DiagnosticCodes.InternalError).ToList();
        if (internalErrors.Count > 0)
        {
            return ("bug", string.Join("\n", internalErrors.Select(e => e.ToString())));
        }
        var output = Path.Combine(site, "out");
        if (Directory.Exists(output))
        {
            var leftovers = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).Contains(".tmp", StringComparison.Ordinal)).ToList();
            if (leftovers.Count > 0)
            {
                return ("bug", "temporary files left: " + string.Join(", ", leftovers));
            }
            foreach (var manifest in Directory.GetFiles(output, ".buildimages-manifest.json", SearchOption.AllDirectories))
            {
                try
                {
                    using var _ = JsonDocument.Parse(File.ReadAllBytes(manifest));
                }
                catch (JsonException ex)
                {
                    return ("bug", $"manifest does not parse: {ex.Message}");
                }
            }
        }
        var codes = report.Errors.Select(e => e.Code).Distinct().Order(StringComparer.Ordinal).ToList();
        return (codes.Count == 0 ? $"built ({report.Rendered} rendered)" : "errors " + string.Join(" ", codes), null);
    }

    /// <summary>The SHA-256 of every file the build wrote except its bookkeeping, by path below the output folder.</summary>
    private static SortedDictionary<string, string> Written(string site)
    {
        var output = Path.Combine(site, "out");
        return new(Directory.GetFiles(output, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".buildimages-", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(output, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
    }

    private static string? Difference(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        var changed = expected.Keys.Intersect(actual.Keys).Where(k => expected[k] != actual[k]).ToList();
        return missing.Count + extra.Count + changed.Count == 0 ? null
            : $"missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}], changed [{string.Join(", ", changed)}]";
    }

    private static void MakeSite(string site)
    {
        var repo = BenchSupport.RepoRoot();
        var samples = Path.Combine(repo, "samples");
        foreach (var folder in new[] { "blog-post", "event", "photo", "product-card", "fonts" })
        {
            CopyFolder(Path.Combine(samples, folder), Path.Combine(site, folder));
            CopyFolder(Path.Combine(repo, "templates", folder), Path.Combine(site, "tpl", folder));
        }
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "buildimages.json")))!.AsObject();
        config.Remove("$schema");
        var jobs = config["jobs"]!.AsArray();
        foreach (var job in jobs.Select(j => j!.AsObject()).ToList())
        {
            job["template"] = "tpl/" + (string)job["template"]!;
            job["variants"] = JsonNode.Parse("""[ { "format": "webp", "width": 240 }, { "format": "jpeg", "width": 120 } ]""");
            var data = Path.Combine(site, (string)job["data"]!);
            var items = JsonNode.Parse(File.ReadAllText(data))!.AsArray();
            File.WriteAllText(data, new JsonArray([.. items.Take(2).Select(n => n!.DeepClone())]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        Directory.CreateDirectory(Path.Combine(site, "more", "posts"));
        File.WriteAllText(Path.Combine(site, "more", "posts.yaml"), "- slug: y1\n  title: \"From YAML: a title\"\n  tags: [a, b]\n- slug: y2\n  title: Second | with a pipe\n  description: >\n    folded text\n    over lines\n");
        File.WriteAllText(Path.Combine(site, "more", "posts.csv"), "slug,title,description\nc1,\"From CSV, quoted\",plain\nc2,Second,\"multi\nline\"\n");
        File.WriteAllText(Path.Combine(site, "more", "posts", "m1.md"), "---\nslug: m1\ntitle: From Markdown front matter\ndate: 2026-12-04\n---\n# Body\n\nText.\n");
        foreach (var (name, data) in new[] { ("yaml", "more/posts.yaml"), ("csv", "more/posts.csv"), ("md", "more/posts/*.md") })
        {
            jobs.Add(JsonNode.Parse($$"""{ "name": "{{name}}", "template": "tpl/blog-post", "data": "{{data}}", "output": "og/{{name}}/{{ "{{" }}slug{{ "}}" }}", "variants": [ { "format": "webp", "width": 240 } ] }"""));
        }
        File.WriteAllText(Path.Combine(site, "buildimages.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
