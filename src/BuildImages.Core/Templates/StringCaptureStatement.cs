using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// <c>capture</c> whose variable holds a string, as Liquid and Scriban document: Scriban 7.5 stores its output object,
/// so <c>{{ c | size }}</c> was 0, <c>c == "x"</c> false and an empty capture true. What is captured is text: values
/// are not escaped into it (a card's output escapes the variable once, when it is written), so a title with '&amp;'
/// captured and written shows '&amp;', not '&amp;amp;'.
/// </summary>
internal sealed class StringCaptureStatement : ScriptCaptureStatement
{
    public override object? Evaluate(TemplateContext context)
    {
        var output = new StringBuilderOutput();
        context.PushOutput(output);
        try
        {
            context.Evaluate(Body!);
        }
        finally
        {
            context.PopOutput();
        }
        context.SetValue(Target, output.ToString());
        return null;
    }
}
