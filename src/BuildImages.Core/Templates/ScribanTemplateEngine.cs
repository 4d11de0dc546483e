using System.Collections.Concurrent;
using BuildImages.Core.Diagnostics;
using Scriban;
using Scriban.Parsing;

namespace BuildImages.Core.Templates;

/// <summary>
/// Templates on Scriban: <c>card.sbn</c> in Scriban syntax, <c>card.liquid</c> in Scriban's Liquid mode, chosen by
/// extension. Parsed templates are cached per main file while its stamp holds; includes per file likewise.
/// </summary>
internal sealed class ScribanTemplateEngine(TemplateOptions options) : ITemplateEngine
{
    private readonly ConcurrentDictionary<string, (FileStamp Stamp, ScribanCardTemplate Template)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (FileStamp Stamp, Template Template)> _includes = new(StringComparer.Ordinal);

    public TemplateOptions Options => options;

    public ICardTemplate Compile(TemplateDefinition definition)
    {
        // Called once per item: a hit costs one stat, no read.
        if (_cache.TryGetValue(definition.MainFile, out var cached) && cached.Stamp.IsCurrent())
        {
            return cached.Template;
        }
        var stamp = FileStamp.Of(definition.MainFile);
        var compiled = new ScribanCardTemplate(definition, Parse(definition.MainFile, Read(definition.MainFile, null)), this);
        _cache[definition.MainFile] = (stamp, compiled);
        return compiled;
    }

    /// <summary>Whether a file is Liquid (by extension): everything else is Scriban syntax.</summary>
    internal static bool IsLiquid(string file) => file.EndsWith(".liquid", StringComparison.OrdinalIgnoreCase);

    /// <summary>An include's parsed template (cached while its stamp holds).</summary>
    internal Template Include(string path, (string File, int Line, int Column) at)
    {
        if (_includes.TryGetValue(path, out var cached) && cached.Stamp.IsCurrent())
        {
            return cached.Template;
        }
        var stamp = FileStamp.Of(path);
        var template = Parse(path, Read(path, at));
        _includes[path] = (stamp, template);
        return template;
    }

    /// <summary>Parses a file in its syntax; a syntax error is BI0100 at its file, line and column.</summary>
    internal static Template Parse(string file, string source)
    {
        var template = IsLiquid(file) ? Template.ParseLiquid(source, file) : Template.Parse(source, file);
        if (template.HasErrors)
        {
            // Scriban's own message for an unclosed tag names the wrong place in the wrong words: say what is wrong, where.
            if (UnclosedTag.Find(source, IsLiquid(file)) is var (line, column, open, close))
            {
                throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, $"template syntax error: this '{open}' is never closed with '{close}' (it runs on into the next tag)", file, line, column);
            }
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw BuildInputException.Error(DiagnosticCodes.TemplateSyntax, "template syntax error: " + first.Message, file, first.Span.Start.Line + 1, first.Span.Start.Column + 1);
        }
        new StatementRewriter().Visit(template.Page);
        return template;
    }

    private static string Read(string path, (string File, int Line, int Column)? at)
    {
        try
        {
            return Primitives.Utf8Text.Read(path, DiagnosticCodes.TemplateSyntax);
        }
        catch (IOException ex)
        {
            throw at is var (file, line, column)
                ? BuildInputException.Error(DiagnosticCodes.MissingInclude, "include could not be read: " + ex.Message, file, line, column)
                : BuildInputException.Error(DiagnosticCodes.TemplateNotFound, "template could not be read: " + ex.Message, path);
        }
    }

    /// <summary>Length and write time of a source file when it was parsed.</summary>
    private readonly record struct FileStamp(string Path, long Length, DateTime WrittenUtc)
    {
        internal static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return new FileStamp(path, info.Exists ? info.Length : -1, info.Exists ? info.LastWriteTimeUtc : default);
        }

        internal bool IsCurrent() => Of(Path) == this;
    }
}
