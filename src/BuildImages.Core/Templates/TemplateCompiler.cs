using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using BuildImages.Core.Diagnostics;
using HandlebarsDotNet;

namespace BuildImages.Core.Templates;

/// <summary>
/// Compiles templates with Handlebars.Net: partials resolved only inside the template's partial roots,
/// card helpers registered, HTML escaping kept on (so item data cannot inject markup). Compiled
/// templates are cached per main file and its sources.
/// </summary>
public sealed partial class TemplateCompiler(TemplateOptions options)
{
    private readonly ConcurrentDictionary<string, (FileStamp[] Stamps, CompiledTemplate Template)> _cache = new(StringComparer.Ordinal);

    public TemplateOptions Options => options;

    public CompiledTemplate Compile(TemplateDefinition definition)
    {
        // Called once per item: a hit costs one stat per source file, no reads.
        if (_cache.TryGetValue(definition.MainFile, out var cached) && cached.Stamps.All(s => s.IsCurrent()))
        {
            return cached.Template;
        }
        var mainSource = Read(definition.MainFile);
        var partials = PartialResolver.Resolve(definition, mainSource);
        var hb = Handlebars.Create(new HandlebarsConfiguration
        {
            ThrowOnUnresolvedBindingExpression = options.Strict,
        });
        CardHelpers.Register(hb, options.Culture);
        foreach (var (name, (path, source)) in partials)
        {
            CompileGuarded(path, source, () => hb.RegisterTemplate(name, source));
        }
        HandlebarsTemplate<TextWriter, object, object>? template = null;
        CompileGuarded(definition.MainFile, mainSource, () => template = hb.Compile(new StringReader(mainSource)));
        var sources = new Dictionary<string, string>(StringComparer.Ordinal) { [definition.MainFile] = mainSource };
        foreach (var (_, (path, source)) in partials)
        {
            sources[path] = source;
        }
        var compiled = new CompiledTemplate(definition, template!, sources, options);
        _cache[definition.MainFile] = (sources.Keys.Select(FileStamp.Of).ToArray(), compiled);
        return compiled;
    }

    /// <summary>Length and write time of a source file when it was compiled.</summary>
    private readonly record struct FileStamp(string Path, long Length, DateTime WrittenUtc)
    {
        internal static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return new FileStamp(path, info.Exists ? info.Length : -1, info.Exists ? info.LastWriteTimeUtc : default);
        }

        internal bool IsCurrent() => Of(Path) == this;
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw CardException.Error(DiagnosticCodes.TemplateNotFound, "template could not be read: " + ex.Message, path);
        }
    }

    private static void CompileGuarded(string file, string source, Action compile)
    {
        try
        {
            compile();
        }
        catch (HandlebarsParserException ex)
        {
            var m = ParserPosition().Match(ex.Message);
            var (line, col) = m.Success ? (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : (0, 0);
            // The parser reports where it gave up; an unclosed {{ is more useful to point at.
            if (UnclosedExpression(source) is { } open)
            {
                (line, col) = TemplateText.LineColumn(source, open);
            }
            throw CardException.Error(DiagnosticCodes.TemplateSyntax, "template syntax error: " + ParserPosition().Replace(ex.Message, string.Empty).Trim(), file, line, Math.Max(1, col));
        }
        catch (HandlebarsException ex)
        {
            // Block mismatches carry no position: find the quoted token in the source.
            var token = QuotedToken().Match(ex.Message);
            var (line, col) = (0, 0);
            if (token.Success)
            {
                var at = source.IndexOf("{{" + token.Groups[1].Value, StringComparison.Ordinal);
                if (at < 0)
                {
                    at = source.IndexOf(token.Groups[1].Value, StringComparison.Ordinal);
                }
                if (at >= 0)
                {
                    (line, col) = TemplateText.LineColumn(source, at);
                }
            }
            throw CardException.Error(DiagnosticCodes.TemplateSyntax, "template syntax error: " + ex.Message.Split('\n')[0], file, line, col);
        }
    }

    private static int? UnclosedExpression(string source)
    {
        for (var open = source.IndexOf("{{", StringComparison.Ordinal); open >= 0; open = source.IndexOf("{{", open + 2, StringComparison.Ordinal))
        {
            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            var next = source.IndexOf("{{", open + 2, StringComparison.Ordinal);
            if (close < 0 || (next >= 0 && next < close))
            {
                return open;
            }
            open = close;
        }
        return null;
    }

    [GeneratedRegex(@"Occured at:\s*(\d+):(\d+)")]
    private static partial Regex ParserPosition();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedToken();
}
