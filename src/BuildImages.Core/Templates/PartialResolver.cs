using System.Text.RegularExpressions;
using BuildImages.Core.Assets;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Templates;

/// <summary>
/// Finds every partial a template includes (<c>{{> name}}</c>, <c>{{#> name}}</c>), transitively, inside the
/// template's partial roots only. Include cycles are errors: Handlebars.Net would recurse until the
/// process dies, which no try/catch can stop.
/// </summary>
internal static partial class PartialResolver
{
    internal static Dictionary<string, (string Path, string Source)> Resolve(TemplateDefinition template, string mainSource)
    {
        var found = new Dictionary<string, (string Path, string Source)>(StringComparer.Ordinal);
        Visit(template, template.MainFile, mainSource, found, [template.MainFile]);
        return found;
    }

    private static void Visit(TemplateDefinition template, string file, string source, Dictionary<string, (string, string)> found, List<string> stack)
    {
        foreach (Match m in PartialReference().Matches(source))
        {
            var name = m.Groups["name"].Value.Trim('"', '\'');
            var (line, col) = TemplateText.LineColumn(source, m.Index);
            if (name.StartsWith('(') || name.StartsWith('@'))
            {
                throw CardException.Error(DiagnosticCodes.MissingInclude, $"dynamic partial '{name}' is not supported; name the partial", file, line, col);
            }
            var path = Locate(template, name, file, line, col);
            if (stack.Contains(path, StringComparer.Ordinal))
            {
                throw CardException.Error(DiagnosticCodes.IncludeCycle, $"partial '{name}' includes itself ({string.Join(" → ", stack.Select(Path.GetFileName))} → {Path.GetFileName(path)})", file, line, col);
            }
            if (found.ContainsKey(name))
            {
                continue;
            }
            var partialSource = File.ReadAllText(path);
            found[name] = (path, partialSource);
            stack.Add(path);
            Visit(template, path, partialSource, found, stack);
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private static string Locate(TemplateDefinition template, string name, string file, int line, int col)
    {
        foreach (var root in template.PartialRoots)
        {
            var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
            var candidate = Path.GetFullPath(Path.Combine(fullRoot, name + ".hbs"));
            if (!AssetResolver.IsUnder(candidate, fullRoot))
            {
                throw CardException.Error(DiagnosticCodes.PathOutsideRoots, $"partial '{name}' points outside the template's partial folders ({string.Join(", ", template.PartialRoots)})", file, line, col);
            }
            if (File.Exists(candidate))
            {
                var target = new FileInfo(candidate).LinkTarget is null ? candidate : new FileInfo(candidate).ResolveLinkTarget(true)!.FullName;
                if (!AssetResolver.IsUnder(Path.GetFullPath(target), fullRoot))
                {
                    throw CardException.Error(DiagnosticCodes.PathOutsideRoots, $"partial '{name}' links outside the template's partial folders", file, line, col);
                }
                return candidate;
            }
        }
        throw CardException.Error(DiagnosticCodes.MissingInclude, $"partial '{name}' not found (looked for {name}.hbs in {string.Join(", ", template.PartialRoots)})", file, line, col);
    }

    [GeneratedRegex(@"\{\{~?\s*#?>\s*(?<name>""[^""]*""|'[^']*'|\([^)]*\)|[^\s}~]+)")]
    private static partial Regex PartialReference();
}
