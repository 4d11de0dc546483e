using Scriban;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>An expression statement that tells the state where it is before it writes, so its output is mapped to it.</summary>
internal sealed class LocatedExpressionStatement : ScriptExpressionStatement
{
    public override object? Evaluate(TemplateContext context)
    {
        if (StateOf(context) is { } state)
        {
            state.Expression = Span;
        }
        return base.Evaluate(context);
    }

    internal static CardScriptState? StateOf(TemplateContext context) => context switch
    {
        ScribanCardContext s => s.State,
        LiquidCardContext l => l.State,
        _ => null,
    };
}
