using System.Text;
using System.Text.RegularExpressions;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// A job's <c>output</c> or <c>alt</c> pattern (<c>"og/{{ slug }}"</c>) on the same engine as cards, in a restricted
/// mode: compiled once per job, the item's fields and the helpers only, small loop and output limits. In a path
/// pattern every substituted value is one path segment (separators, controls, <c>&lt;&gt;:"|?*</c> become '-',
/// invisible characters are dropped); <c>{{ folders path }}</c> (or the older <c>{{{ path }}}</c>) lets a value make
/// folders, which are then checked segment by segment like any output path.
/// </summary>
internal sealed partial class PatternTemplate
{
    private const int MaxCharacters = 4096;

    private static readonly ScriptObject Builtins = CreateBuiltins();
    private static readonly ScriptObject Helpers = CreateHelpers();

    /// <summary>Names Scriban reads as something other than a variable.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "this", "empty", "null", "true", "false", "end", "if", "else", "for", "while", "func", "ret", "break", "continue",
        "capture", "readonly", "import", "with", "wrap", "include", "case", "when", "in", "do", "tablerow",
    };

    private readonly Template _template;
    private readonly bool _isPath;
    private readonly TimeZoneInfo _zone;

    /// <summary>The pattern as text and field names, when it is nothing else (<c>"og/{{ slug }}"</c>); null otherwise.</summary>
    private readonly PatternPart[]? _parts;

    private PatternTemplate(Template template, bool isPath, TimeZoneInfo zone, PatternPart[]? parts)
    {
        _template = template;
        _isPath = isPath;
        _zone = zone;
        _parts = parts;
    }

    /// <summary>Compiles a pattern; a syntax error is BI0022 at the pattern's place in the configuration.</summary>
    internal static PatternTemplate Compile(string pattern, string name, bool isPath, string configFile, int line, int column, TimeZoneInfo zone)
    {
        // Triple braces were the old way to let a value make folders; configurations written with them keep working.
        var source = TripleBraces().Replace(pattern, m => "{{ folders (" + m.Groups[1].Value + ") }}");
        var template = Template.Parse(source, configFile);
        if (Unclosed(source) is { } open)
        {
            throw BuildInputException.Error(DiagnosticCodes.OutputPattern, $"'{name}' is not a valid pattern: the '{{{{' at character {open + 1} is never closed with '}}}}'", configFile, line, column);
        }
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw BuildInputException.Error(DiagnosticCodes.OutputPattern, $"'{name}' is not a valid pattern: {first.Message} (at character {first.Span.Start.Column + 1} of the pattern)", configFile, line, column);
        }
        return new PatternTemplate(template, isPath, zone, Parts(source));
    }

    /// <summary>Text and <c>{{ name }}</c> only (no braces in the text, no keyword or helper as a name): the parts; else null.</summary>
    private static PatternPart[]? Parts(string source)
    {
        var match = SimplePattern().Match(source);
        if (!match.Success)
        {
            return null;
        }
        var parts = new List<PatternPart>();
        foreach (var capture in match.Groups[1].Captures.Concat(match.Groups[2].Captures).OrderBy(c => c.Index))
        {
            var isField = capture.Value.StartsWith("{{", StringComparison.Ordinal);
            if (!isField)
            {
                parts.Add(new PatternPart(capture.Value, null));
                continue;
            }
            var name = capture.Value[2..^2].Trim();
            // A helper's name finds the helper before the item's field of that name (Expand pushes the helpers above the fields).
            if (Keywords.Contains(name) || Helpers.ContainsKey(name))
            {
                return null;
            }
            parts.Add(new PatternPart(null, name));
        }
        return [.. parts];
    }

    /// <summary>The expanded pattern for one item; throws <see cref="ScriptRuntimeException"/> when the pattern fails.</summary>
    internal string Expand(IReadOnlyDictionary<string, object?> fields)
    {
        var text = Substitute(fields) ?? Render(fields);
        return text.Length > MaxCharacters ? throw new ScriptRuntimeException(default, $"the pattern expanded to more than {MaxCharacters} characters") : text;
    }

    /// <summary>
    /// A pattern of text and field names expanded without a Scriban context (making one per item was most of the cost
    /// of planning an item) when every field it names is a string: what <see cref="Render"/> writes for it. Null when
    /// the pattern is more than that or a field is missing or not a string (Scriban decides those).
    /// </summary>
    private string? Substitute(IReadOnlyDictionary<string, object?> fields)
    {
        if (_parts is null)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part.Text is { } literal)
            {
                text.Append(literal);
                continue;
            }
            if (!fields.TryGetValue(part.Field!, out var value) || value is not string field || field.Length > MaxCharacters)
            {
                return null;
            }
            if (!_isPath)
            {
                text.Append(field);
                continue;
            }
            foreach (var ch in field)
            {
                if (!OutputPathRules.IsInvisible(ch))
                {
                    text.Append(PathSegmentEncoder.Safe(ch));
                }
            }
        }
        return text.ToString();
    }

    /// <summary>Whether the pattern is text and field names only, which <see cref="Expand"/> substitutes without Scriban.</summary>
    internal bool IsSimple => _parts is not null;

    /// <summary>What <see cref="Expand"/> gives, always through Scriban (the tests hold the substitution to it).</summary>
    internal string ExpandThroughScriban(IReadOnlyDictionary<string, object?> fields) => Render(fields);

    private string Render(IReadOnlyDictionary<string, object?> fields)
    {
        var context = new PatternContext(Builtins, _isPath, _zone)
        {
            LoopLimit = 100,
            RecursiveLimit = 16,
            LimitToString = MaxCharacters,
            MemberFilter = _ => false,
        };
        context.PushCulture(System.Globalization.CultureInfo.InvariantCulture);
        context.PushGlobal(ScriptData.Object(fields));
        context.PushGlobal(Helpers);
        // Assignments land in a global of their own, never in the helpers every planning thread shares.
        context.PushGlobal(new ScriptObject(StringComparer.Ordinal));
        return _template.Render(context);
    }

    /// <summary>Where an expression opens without closing (Scriban would read it to the end of the text).</summary>
    private static int? Unclosed(string source)
    {
        var open = source.LastIndexOf("{{", StringComparison.Ordinal);
        return open >= 0 && source.IndexOf("}}", open, StringComparison.Ordinal) < 0 ? open : null;
    }

    private static ScriptObject CreateBuiltins()
    {
        var builtins = (ScriptObject)new TemplateContext().BuiltinObject;
        CardFunctions.Refuse(builtins);
        return builtins;
    }

    private static ScriptObject CreateHelpers()
    {
        var helpers = new ScriptObject(StringComparer.Ordinal);
        CardFunctions.Register(helpers);
        helpers.Import("folders", new Func<object?, PathFolders>(value => new PathFolders(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)));
        return helpers;
    }

    [GeneratedRegex(@"\{\{\{\s*(.*?)\s*\}\}\}")]
    private static partial Regex TripleBraces();

    // Spaces as Scriban's lexer skips them inside braces: ' ', tab, CR, LF.
    [GeneratedRegex(@"^(?:([^{}]+)|(\{\{[ \t\r\n]*[A-Za-z_][A-Za-z0-9_]*[ \t\r\n]*\}\}))*$")]
    private static partial Regex SimplePattern();

    /// <summary>A piece of a simple pattern: text written as it is, or a field's value.</summary>
    private sealed record PatternPart(string? Text, string? Field);

    /// <summary>A value allowed to contain '/' (folders) in a path pattern.</summary>
    private sealed record PathFolders(string Path)
    {
        public override string ToString() => Path;
    }

    /// <summary>Writes each value as a path segment (or folders) in a path pattern; as plain text in an alt pattern.</summary>
    private sealed class PatternContext(ScriptObject builtins, bool isPath, TimeZoneInfo zone) : TemplateContext(builtins), IZonedContext
    {
        public TimeZoneInfo TimeZone => zone;

        public override TemplateContext Write(SourceSpan span, object? textAsObject)
        {
            if (!isPath || textAsObject is null)
            {
                return base.Write(span, textAsObject!);
            }
            var folders = textAsObject is PathFolders;
            var text = ObjectToString(textAsObject) ?? string.Empty;
            var sb = new StringBuilder(text.Length);
            foreach (var ch in text)
            {
                if (BuildImages.Core.Primitives.OutputPathRules.IsInvisible(ch))
                {
                    continue;
                }
                sb.Append(ch is '/' && folders ? '/' : BuildImages.Core.Primitives.PathSegmentEncoder.Safe(ch));
            }
            return base.Write(span, sb.ToString());
        }
    }
}
