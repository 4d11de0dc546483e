using Scriban;
using Scriban.Parsing;

namespace BuildImages.Core.Templates;

/// <summary>Liquid syntax (<c>card.liquid</c>), with Liquid's filters.</summary>
internal sealed class LiquidCardContext : LiquidTemplateContext, IZonedContext
{
    internal LiquidCardContext(CardScriptState state, TimeZoneInfo zone)
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
