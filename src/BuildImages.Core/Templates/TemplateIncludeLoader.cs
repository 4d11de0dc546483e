using BuildImages.Core.Assets;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Templates;

/// <summary>
/// Resolves <c>include</c> (and Liquid's <c>include</c>/<c>render</c>) names inside a template's partial roots only:
/// <c>partials/</c> beside the card, the card's own folder, each root's <c>_partials/</c>. Symbolic links are
/// resolved before the check, so a link cannot lead an include outside them.
/// </summary>
internal sealed class TemplateIncludeLoader(TemplateDefinition template, string extension)
{
    private readonly string[] _roots = template.PartialRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();

    /// <summary>Names already resolved: an include is resolved for every card, and resolving walks links segment by segment.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _resolved = new(StringComparer.Ordinal);

    /// <summary>The file an include names; throws BI0102 (outside the roots) or BI0101 (not found) located at the include.</summary>
    internal string Resolve(string name, string file, int line, int column)
    {
        if (_resolved.TryGetValue(name, out var known))
        {
            return known;
        }
        var path = Find(name, file, line, column);
        _resolved[name] = path;
        return path;
    }

    private string Find(string name, string file, int line, int column)
    {
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Contains(':', StringComparison.Ordinal))
        {
            throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"include '{name}' must be a name relative to the template's partial folders ({string.Join(", ", _roots)})", file, line, column);
        }
        var names = Path.HasExtension(name) ? [name] : new[] { name + extension, name + (extension == ".sbn" ? ".liquid" : ".sbn"), name };
        foreach (var root in _roots)
        {
            foreach (var candidateName in names)
            {
                var candidate = Path.GetFullPath(Path.Combine(root, candidateName));
                if (!AssetResolver.IsUnder(candidate, root))
                {
                    throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"include '{name}' points outside the template's partial folders ({string.Join(", ", _roots)})", file, line, column);
                }
                if (!File.Exists(candidate))
                {
                    continue;
                }
                var real = RealPath.Of(candidate);
                var realRoot = RealPath.Of(root);
                if (real is null || realRoot is null || !AssetResolver.IsUnder(real, realRoot))
                {
                    throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"include '{name}' links outside the template's partial folders (to {real})", file, line, column);
                }
                return candidate;
            }
        }
        var near = NearestName.Hint(name, _roots.Where(Directory.Exists).SelectMany(Directory.EnumerateFiles).Select(Path.GetFileNameWithoutExtension).OfType<string>());
        throw BuildInputException.Error(DiagnosticCodes.MissingInclude, $"include '{name}' not found{near} (looked for {string.Join(", ", names)} in {string.Join(", ", _roots)})", file, line, column);
    }
}
