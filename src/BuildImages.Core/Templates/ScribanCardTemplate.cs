using BuildImages.Core.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// One template evaluated as a sandbox: the script sees the item's data (as plain script objects), <c>card</c>
/// (width, height, square, landscape, portrait) and the helpers, and nothing else: no .NET members, no clock or
/// randomness, no file access but includes inside the template's roots. Limits per item: loop iterations,
/// recursion depth, output size, and a time limit enforced by cancellation; each breach is one located error.
/// </summary>
internal sealed class ScribanCardTemplate : ICardTemplate
{
    private const int LoopLimit = 10_000;
    private const int RecursionLimit = 64;

    private readonly Template _template;
    private readonly ScribanTemplateEngine _engine;
    private readonly TemplateIncludeLoader _loader;
    private readonly ScriptObject _builtins;
    private readonly ScriptObject _helpers;
    private readonly bool _liquid;

    internal ScribanCardTemplate(TemplateDefinition definition, Template template, ScribanTemplateEngine engine)
    {
        Definition = definition;
        _template = template;
        _engine = engine;
        _liquid = ScribanTemplateEngine.IsLiquid(definition.MainFile);
        _loader = new TemplateIncludeLoader(definition, _liquid ? ".liquid" : ".sbn");
        _builtins = (ScriptObject)new TemplateContext().BuiltinObject;
        CardFunctions.Refuse(_builtins);
        // Made once: importing the helpers reflects over their methods, which would cost every card a few hundred microseconds.
        _helpers = Helpers();
        _helpers.IsReadOnly = true;
    }

    public TemplateDefinition Definition { get; }

    public TemplateOutput Evaluate(IReadOnlyDictionary<string, object?> item, CardSize size)
    {
        var options = _engine.Options;
        var state = new CardScriptState(options.MaxMarkupCharacters);
        TemplateContext context = _liquid ? new LiquidCardContext(state, options.TimeZone) : new ScribanCardContext(_builtins, state, options.TimeZone);
        if (_liquid)
        {
            CardFunctions.Refuse((ScriptObject)context.BuiltinObject);
        }
        using var deadline = new CancellationTokenSource(options.TimeLimit);
        context.StrictVariables = options.Strict;
        // Included text is written as it is: indenting it would add text inside <text> elements and shift the source map.
        context.AutoIndent = false;
        context.LoopLimit = LoopLimit;
        // Scriban would cut the output at 1 MiB without a word; the markup limit is ours, and it is an error.
        context.OutputLimit = int.MaxValue;
        context.RecursiveLimit = RecursionLimit;
        context.RegexTimeOut = TimeSpan.FromSeconds(1);
        context.MemberFilter = _ => false;
        context.CancellationToken = deadline.Token;
        context.PushCulture(options.Culture);
        context.PushOutput(new CardMarkupOutput(state, context));
        context.PushGlobal(Data(item, size));
        context.PushGlobal(_helpers);
        // Assignments go to the global on top: a fresh one per card, never the helpers every worker shares
        // (a variable one item set was seen by the next, and two workers wrote one dictionary at once).
        context.PushGlobal(new ScriptObject(StringComparer.Ordinal));
        try
        {
            _template.Render(context);
        }
        catch (Exception ex) when (ex is ScriptRuntimeException or OperationCanceledException or BuildInputException)
        {
            throw Located(ex, deadline.IsCancellationRequested, state.Expression, context, item);
        }
        var files = new List<string> { Definition.MainFile };
        files.AddRange(state.Files.Where(f => f != Definition.MainFile));
        return new TemplateOutput(state.Markup.ToString(), files, state.Map, Definition.MainFile);
    }

    /// <summary>The item's fields as script values; fields the template declares but the item lacks are null (so strict mode only catches real typos).</summary>
    private ScriptObject Data(IReadOnlyDictionary<string, object?> item, CardSize size)
    {
        var data = new ScriptObject(StringComparer.Ordinal);
        data.SetValue("card", new ScriptObject(StringComparer.Ordinal)
        {
            ["width"] = size.Width,
            ["height"] = size.Height,
            ["square"] = size.Width == size.Height,
            ["landscape"] = size.Width > size.Height,
            ["portrait"] = size.Width < size.Height,
        }, true);
        foreach (var field in Definition.Fields)
        {
            if (!item.ContainsKey(field.Name))
            {
                if (field.Required && _engine.Options.Strict)
                {
                    throw BuildInputException.Error(DiagnosticCodes.MissingVariable, $"required field '{field.Name}' is missing", Definition.MainFile);
                }
                data.SetValue(field.Name, null, false);
            }
        }
        foreach (var (name, value) in item)
        {
            data.SetValue(name, ScriptData.From(value), false);
        }
        return data;
    }

    private ScriptObject Helpers()
    {
        var helpers = new ScriptObject(StringComparer.Ordinal);
        CardFunctions.Register(helpers);
        var include = new Func<TemplateContext, SourceSpan, object?, object?>((context, span, name) =>
            Include(context, span, Convert.ToString(name, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, LocatedExpressionStatement.StateOf(context)!));
        helpers.Import("include", include);
        // Liquid's render tag: the same include (its separate variable scope is not modelled).
        helpers.Import("render", include);
        return helpers;
    }

    /// <summary>Evaluates an include into the same markup (so its spans are mapped), refusing cycles.</summary>
    private object? Include(TemplateContext context, SourceSpan span, string name, CardScriptState state)
    {
        var at = (span.FileName ?? Definition.MainFile, span.Start.Line + 1, span.Start.Column + 1);
        var path = _loader.Resolve(name, at.Item1, at.Item2, at.Item3);
        if (state.Includes.Contains(path, StringComparer.Ordinal))
        {
            throw BuildInputException.Error(DiagnosticCodes.IncludeCycle, $"include '{name}' includes itself ({string.Join(" → ", state.Includes.Prepend(Definition.MainFile).Select(Path.GetFileName))} → {Path.GetFileName(path)})", at.Item1, at.Item2, at.Item3);
        }
        var template = _engine.Include(path, at);
        state.Files.Add(path);
        state.Includes.Add(path);
        try
        {
            var saved = state.Expression;
            context.Evaluate(template.Page!);
            state.Expression = saved;
        }
        finally
        {
            state.Includes.RemoveAt(state.Includes.Count - 1);
        }
        return null;
    }

    private BuildInputException Located(Exception ex, bool timedOut, SourceSpan expression, TemplateContext context, IReadOnlyDictionary<string, object?> item)
    {
        if (ex is BuildInputException card)
        {
            return card;
        }
        if (ex.InnerException is BuildInputException inner)
        {
            return inner;
        }
        if (timedOut || ex is OperationCanceledException)
        {
            return BuildInputException.Error(DiagnosticCodes.TemplateTimeLimit, $"template evaluation passed its time limit of {_engine.Options.TimeLimit.TotalMilliseconds:0} ms", Definition.MainFile);
        }
        var runtime = (ScriptRuntimeException)ex;
        // A helper's own error has no place of its own: it is the expression being evaluated.
        var span = runtime.Span.FileName is null && runtime.Span.Start.Line == 0 && runtime.Span.Start.Column == 0 ? expression : runtime.Span;
        var file = span.FileName ?? Definition.MainFile;
        var (line, column) = (span.Start.Line + 1, span.Start.Column + 1);
        var message = runtime.OriginalMessage;
        if (Between(message, "The variable or function `", "` was not found") is { } name)
        {
            return BuildInputException.Error(DiagnosticCodes.MissingVariable, $"variable '{name}' is not defined for this item (strict mode){NearestName.Hint(name, item.Keys.Concat(Definition.Fields.Select(f => f.Name)))}", file, line, column);
        }
        if (Between(message, "The function `", "` was not found") is { } function)
        {
            return BuildInputException.Error(DiagnosticCodes.TemplateSyntax, $"unknown function '{function}'{NearestName.Hint(function, FunctionNames(context))}", file, line, column);
        }
        if (message.Contains(CardFunctions.RefusedMarker, StringComparison.Ordinal))
        {
            return BuildInputException.Error(DiagnosticCodes.ImpureFunction, message, file, line, column);
        }
        if (message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return BuildInputException.Error(DiagnosticCodes.TemplateTimeLimit, $"template passed a limit: {message} (loops may run {LoopLimit:N0} times, includes and functions nest {RecursionLimit} deep)", file, line, column);
        }
        return BuildInputException.Error(DiagnosticCodes.TemplateSyntax, "template evaluation failed: " + message, file, line, column);
    }

    private static string? Between(string text, string before, string after) =>
        text.StartsWith(before, StringComparison.Ordinal) && text.EndsWith(after, StringComparison.Ordinal) && text.Length > before.Length + after.Length ? text[before.Length..^after.Length] : null;

    /// <summary>Every function a template can call: the helpers, the built-in objects' members (string.upcase), and Liquid's filters.</summary>
    private IEnumerable<string> FunctionNames(TemplateContext context) =>
        _helpers.Keys.Concat(((ScriptObject)context.BuiltinObject).Keys)
            .Concat(((ScriptObject)context.BuiltinObject).Where(p => p.Value is ScriptObject).SelectMany(p => ((ScriptObject)p.Value!).Keys.Select(k => $"{p.Key}.{k}")));
}
