using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Templates;

/// <summary>
/// Finds templates by name (a folder with <c>card.sbn</c>, or <c>card.liquid</c>, under a template root) or by path
/// (such a folder, or an .sbn/.liquid file). Includes resolve in the template's own <c>partials/</c> folder, its
/// folder and each root's <c>_partials/</c>, and nowhere else.
/// </summary>
public sealed class TemplateCatalog
{
    /// <summary>The main file's names, by syntax: Scriban first.</summary>
    private static readonly string[] MainFileNames = ["card.sbn", "card.liquid"];

    /// <summary>How template.json is read, and its values located for errors.</summary>
    private static readonly JsonReaderOptions MetaReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly IReadOnlyList<string> _roots;

    public TemplateCatalog(IEnumerable<string> roots) =>
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).Where(Directory.Exists).ToList();

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Every template under the roots (folders holding a card.sbn or card.liquid), first root wins a name.</summary>
    public IReadOnlyList<TemplateDefinition> List()
    {
        var seen = new Dictionary<string, TemplateDefinition>(StringComparer.Ordinal);
        foreach (var root in _roots)
        {
            foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir);
                if (!name.StartsWith('_') && MainFile(dir) is { } main && !seen.ContainsKey(name))
                {
                    seen[name] = Load(name, main, root);
                }
            }
        }
        return seen.Values.ToList();
    }

    /// <summary>"; did you mean …?" for a template name (among the roots' names) or a path (among the template folders beside it).</summary>
    private static string Near(string given, bool isName, IReadOnlyList<string> names, string full)
    {
        if (isName)
        {
            return NearestName.Hint(given, names);
        }
        var parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent))
        {
            return string.Empty;
        }
        var siblings = Directory.EnumerateDirectories(parent).Where(d => MainFile(d) is not null).Select(Path.GetFileName).OfType<string>().ToList();
        var near = NearestName.Of(Path.GetFileName(full), siblings);
        var slash = given.Replace('\\', '/').LastIndexOf('/');
        return near is null ? string.Empty : $"; did you mean '{(slash < 0 ? string.Empty : given[..(slash + 1)])}{near}'?";
    }

    /// <summary>Resolves a built-in/root template name, a template folder, or an .sbn/.liquid file path.</summary>
    public TemplateDefinition Resolve(string nameOrPath, string? baseDirectory = null)
    {
        var isName = !nameOrPath.Contains('/', StringComparison.Ordinal) && !nameOrPath.Contains('\\', StringComparison.Ordinal) && !Path.HasExtension(nameOrPath);
        if (isName)
        {
            foreach (var root in _roots)
            {
                if (MainFile(Path.Combine(root, nameOrPath)) is { } main)
                {
                    return Load(nameOrPath, main, root);
                }
            }
        }
        var full = Path.GetFullPath(Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), nameOrPath));
        if (Directory.Exists(full) && MainFile(full) is { } inFolder)
        {
            return Load(Path.GetFileName(full), inFolder, null);
        }
        if (File.Exists(full))
        {
            return Load(Path.GetFileNameWithoutExtension(full), full, null);
        }
        var names = List().Select(t => t.Name).ToList();
        var known = string.Join(", ", names);
        throw BuildInputException.Error(DiagnosticCodes.TemplateNotFound, $"template '{nameOrPath}' not found{Near(nameOrPath, isName, names, full)} (looked for a built-in name — {(known.Length == 0 ? "none installed" : known)} — and for the path '{full}')");
    }

    private static string? MainFile(string folder) => MainFileNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private TemplateDefinition Load(string name, string mainFile, string? root)
    {
        var dir = Path.GetDirectoryName(mainFile)!;
        var partialRoots = new List<string> { Path.Combine(dir, "partials"), dir };
        partialRoots.AddRange((root is null ? _roots : [root, .. _roots.Where(r => r != root)]).Select(r => Path.Combine(r, "_partials")));
        var meta = Path.Combine(dir, "template.json");
        var sizes = new List<CardSize>();
        var fields = new List<TemplateField>();
        var description = string.Empty;
        if (File.Exists(meta) && MainFileNames.Contains(Path.GetFileName(mainFile)))
        {
            var bytes = Utf8Text.ReadBytes(meta, DiagnosticCodes.TemplateSyntax);
            try
            {
                using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                var rootEl = doc.RootElement;
                if (rootEl.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    description = d.GetString() ?? string.Empty;
                }
                if (rootEl.TryGetProperty("sizes", out var s) && s.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var e in s.EnumerateArray())
                    {
                        if (e.ValueKind != JsonValueKind.String || !CardSize.TryParse(e.GetString()!, out var size))
                        {
                            // A size the template promises and cannot give is a mistake in its metadata, never dropped quietly.
                            var at = new JsonLocator(bytes, MetaReaderOptions).Value($"/sizes/{index}");
                            throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, $"template.json: 'sizes' holds {e.GetRawText()}, which is not a size like \"1200x630\"", meta, at.Line, at.Column);
                        }
                        sizes.Add(size);
                        index++;
                    }
                }
                if (rootEl.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in f.EnumerateObject())
                    {
                        var required = p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
                        var desc = string.Empty;
                        if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("description", out var fd))
                        {
                            if (fd.ValueKind != JsonValueKind.String)
                            {
                                var at = new JsonLocator(bytes, MetaReaderOptions).Value($"/fields/{JsonLocator.Segment(p.Name)}/description");
                                throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, $"template.json: the description of field '{p.Name}' is {fd.GetRawText()}, not a string", meta, at.Line, at.Column);
                            }
                            desc = fd.GetString()!;
                        }
                        fields.Add(new TemplateField(p.Name, required, desc));
                    }
                }
            }
            catch (JsonException ex)
            {
                throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, "template.json is not valid JSON: " + ex.Message, meta, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
            }
            catch (InvalidOperationException) when (LoneSurrogateLocator.Find(bytes, MetaReaderOptions) is var (line, column))
            {
                throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, "template.json: " + LoneSurrogateLocator.Message, meta, line, column);
            }
        }
        return new TemplateDefinition(name, mainFile, partialRoots, sizes, fields, description);
    }
}
