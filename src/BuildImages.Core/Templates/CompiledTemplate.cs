using BuildImages.Core.Diagnostics;
using HandlebarsDotNet;
using HandlebarsDotNet.Compiler;

namespace BuildImages.Core.Templates;

/// <summary>A template compiled with its partials and helpers; evaluates items to card markup.</summary>
public sealed class CompiledTemplate
{
    private readonly HandlebarsTemplate<TextWriter, object, object> _template;
    private readonly TemplateOptions _options;
    private readonly IReadOnlyDictionary<string, string> _sources;

    internal CompiledTemplate(TemplateDefinition definition, HandlebarsTemplate<TextWriter, object, object> template, IReadOnlyDictionary<string, string> sources, TemplateOptions options)
    {
        Definition = definition;
        _template = template;
        _sources = sources;
        _options = options;
    }

    public TemplateDefinition Definition { get; }

    /// <summary>The main file and every partial it includes, with their text (their bytes decide outputs).</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>Evaluates the template for one item at one size; throws <see cref="CardException"/> located in the template.</summary>
    public string Evaluate(IReadOnlyDictionary<string, object?> item, CardSize size)
    {
        var context = new Dictionary<string, object?>(item, StringComparer.Ordinal);
        foreach (var field in Definition.Fields)
        {
            if (!context.ContainsKey(field.Name))
            {
                if (field.Required && _options.Strict)
                {
                    throw CardException.Error(DiagnosticCodes.MissingVariable, $"required field '{field.Name}' is missing", Definition.MainFile);
                }
                context[field.Name] = null;
            }
        }
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["width"] = size.Width,
            ["height"] = size.Height,
            ["square"] = size.Width == size.Height,
            ["landscape"] = size.Width > size.Height,
            ["portrait"] = size.Width < size.Height,
        };
        using var writer = new DeadlineWriter(_options.TimeLimit, _options.MaxMarkupCharacters, Definition.MainFile);
        try
        {
            _template(writer, context, data);
        }
        catch (HandlebarsUndefinedBindingException ex)
        {
            var (file, line, col) = Locate(ex.MissingKey ?? ex.Path);
            throw CardException.Error(DiagnosticCodes.MissingVariable, $"variable '{ex.Path}' is not defined for this item (strict mode)", file, line, col);
        }
        catch (HandlebarsException ex) when (ex is not HandlebarsParserException)
        {
            throw CardException.Error(DiagnosticCodes.TemplateSyntax, "template evaluation failed: " + ex.Message.Split('\n')[0], Definition.MainFile);
        }
        catch (CardException)
        {
            throw;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw CardException.Error(DiagnosticCodes.TemplateSyntax, "a template helper failed: " + ex.Message, Definition.MainFile);
        }
        return writer.ToString();
    }

    private (string File, int Line, int Column) Locate(string name)
    {
        var last = name.Split('.', '/').Last();
        foreach (var (file, source) in _sources)
        {
            var at = FindExpression(source, last);
            if (at >= 0)
            {
                var (line, col) = TemplateText.LineColumn(source, at);
                return (file, line, col);
            }
        }
        return (Definition.MainFile, 0, 0);
    }

    private static int FindExpression(string source, string name)
    {
        var from = 0;
        while (true)
        {
            var open = source.IndexOf("{{", from, StringComparison.Ordinal);
            if (open < 0)
            {
                return -1;
            }
            var close = source.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                return -1;
            }
            var inner = source.AsSpan(open, close - open);
            var idx = inner.IndexOf(name, StringComparison.Ordinal);
            if (idx >= 0)
            {
                return open + idx;
            }
            from = close;
        }
    }
}
