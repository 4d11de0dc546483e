using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// Puts our statements in place of Scriban's where cards need other behaviour, in a parsed template, in place: every
/// expression statement becomes a <see cref="LocatedExpressionStatement"/> (errors and markup know their source), every
/// capture a <see cref="StringCaptureStatement"/> (the captured value is a string).
/// </summary>
internal sealed class StatementRewriter : ScriptVisitor
{
    public override void Visit(ScriptBlockStatement node)
    {
        for (var i = 0; i < node.Statements.Count; i++)
        {
            switch (node.Statements[i])
            {
                case ScriptExpressionStatement statement and not LocatedExpressionStatement:
                    var expression = statement.Expression;
                    // A node has one parent: detach the expression before the new statement takes it.
                    statement.Expression = null;
                    node.Statements[i] = new LocatedExpressionStatement { Expression = expression, Span = statement.Span };
                    break;
                case ScriptCaptureStatement capture and not StringCaptureStatement:
                    var (target, body) = (capture.Target, capture.Body);
                    (capture.Target, capture.Body) = (null, null);
                    node.Statements[i] = new StringCaptureStatement { Target = target, Body = body, Span = capture.Span };
                    break;
            }
        }
        base.Visit(node);
    }
}
