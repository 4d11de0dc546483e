using Scriban;
using Scriban.Runtime;

namespace BuildImages.Core.Templates;

/// <summary>The output that records into <see cref="CardScriptState"/>.</summary>
internal sealed class CardMarkupOutput(CardScriptState state, TemplateContext context) : IScriptOutput
{
    public void Write(string value, int index, int count) => state.Write(context, value, index, count);

    public ValueTask WriteAsync(string value, int index, int count, CancellationToken cancellationToken)
    {
        Write(value, index, count);
        return ValueTask.CompletedTask;
    }
}
