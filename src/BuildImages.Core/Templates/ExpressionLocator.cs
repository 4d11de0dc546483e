using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>Puts <see cref="LocatedExpressionStatement"/> in place of every expression statement of a parsed template, in place.</summary>
internal sealed class ExpressionLocator : ScriptVisitor
{
    public override void Visit(ScriptBlockStatement node)
    {
        for (var i = 0; i < node.Statements.Count; i++)
        {
            if (node.Statements[i] is ScriptExpressionStatement statement and not LocatedExpressionStatement)
            {
                var expression = statement.Expression;
                // A node has one parent: detach the expression before the new statement takes it.
                statement.Expression = null;
                node.Statements[i] = new LocatedExpressionStatement { Expression = expression, Span = statement.Span };
            }
        }
        base.Visit(node);
    }
}
