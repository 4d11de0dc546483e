using System.Buffers;
using System.Text;
using BuildImages.Core.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// What both template syntaxes share while one card is evaluated: the markup being written (with its
/// <see cref="MarkupSourceMap"/>), escaping of every expression's value, and the position of the expression
/// being evaluated. Scriban and Liquid need different context classes; both delegate here.
/// </summary>
internal sealed class CardScriptState(int maxCharacters)
{
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\"'");

    internal StringBuilder Markup { get; } = new();

    internal MarkupSourceMap Map { get; } = new();

    /// <summary>The expression statement being evaluated (set by <see cref="LocatedExpressionStatement"/>).</summary>
    internal SourceSpan Expression { get; set; }

    /// <summary>Every include the evaluation read.</summary>
    internal SortedSet<string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The includes being evaluated, outermost first (a cycle is refused).</summary>
    internal List<string> Includes { get; } = [];

    /// <summary>An expression's value as card markup: XML-escaped unless the template marked it trusted.</summary>
    internal static object? Escape(object? value, TemplateContext context) => value switch
    {
        null => null,
        TrustedMarkup trusted => trusted.Markup,
        _ => EscapeText(context.ObjectToString(value) ?? string.Empty),
    };

    /// <summary>XML text and attribute escaping; characters XML cannot hold (controls, lone surrogates) become U+FFFD.</summary>
    internal static string EscapeText(string text)
    {
        var needs = text.AsSpan().IndexOfAny(Special) >= 0;
        if (!needs)
        {
            foreach (var ch in text)
            {
                if (!XmlSafe(ch))
                {
                    needs = true;
                    break;
                }
            }
        }
        if (!needs)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            _ = ch switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&apos;"),
                _ when char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => sb.Append(ch).Append(text[++i]),
                _ when !XmlSafe(ch) => sb.Append('\uFFFD'),
                _ => sb.Append(ch),
            };
        }
        return sb.ToString();
    }

    private static bool XmlSafe(char ch) => ch is '\t' or '\n' or '\r' || (ch >= ' ' && !char.IsSurrogate(ch) && ch is not '\uFFFE' and not '\uFFFF');

    /// <summary>
    /// Truthiness as card templates need it, in both syntaxes: null, false, "", 0 and empty lists are false, so
    /// <c>if description</c> draws nothing for an empty field (Scriban and Liquid alone would call "" true).
    /// </summary>
    internal static bool? Falsy(object? value) => value switch
    {
        null => true,
        bool b => !b,
        string s => s.Length == 0,
        int i => i == 0,
        long l => l == 0,
        double d => d == 0,
        decimal m => m == 0,
        System.Collections.ICollection c => c.Count == 0,
        _ => null,
    };

    /// <summary>Appends to the markup, recording where it came from.</summary>
    internal void Write(TemplateContext context, string text, int index, int count)
    {
        if (count == 0)
        {
            return;
        }
        if (Markup.Length + count > maxCharacters)
        {
            throw BuildInputException.Error(DiagnosticCodes.TemplateTimeLimit, $"template output passed {maxCharacters:N0} characters; is a loop running away?", context.CurrentSourceFile);
        }
        if (context.CurrentNode is ScriptRawStatement raw)
        {
            var start = raw.Span.Start;
            Map.Add(Markup.Length, raw.Span.FileName ?? context.CurrentSourceFile ?? string.Empty, start.Line + 1, start.Column + 1, raw.Text.ToString());
        }
        else
        {
            Map.Add(Markup.Length, Expression.FileName ?? context.CurrentSourceFile ?? string.Empty, Expression.Start.Line + 1, Expression.Start.Column + 1, null);
        }
        Markup.Append(text, index, count);
    }
}
