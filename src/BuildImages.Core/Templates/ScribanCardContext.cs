using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BuildImages.Core.Templates;

/// <summary>Scriban syntax (<c>card.sbn</c>).</summary>
internal sealed class ScribanCardContext : TemplateContext, IZonedContext
{
    internal ScribanCardContext(ScriptObject builtins, CardScriptState state, TimeZoneInfo zone) : base(builtins)
    {
        State = state;
        TimeZone = zone;
    }

    internal CardScriptState State { get; }

    public TimeZoneInfo TimeZone { get; }

    // Escaped into the card's markup; a capture takes the value as text (see StringCaptureStatement).
    public override TemplateContext Write(SourceSpan span, object? textAsObject) => base.Write(span, Output is CardMarkupOutput ? CardScriptState.Escape(textAsObject, this)! : textAsObject!);

    public override bool ToBool(SourceSpan span, object? value) => CardScriptState.Falsy(value) is { } falsy ? !falsy : base.ToBool(span, value);
}
