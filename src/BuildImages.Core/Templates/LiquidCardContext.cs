using Scriban;
using Scriban.Parsing;

namespace BuildImages.Core.Templates;

/// <summary>Liquid syntax (<c>card.liquid</c>), with Liquid's filters.</summary>
internal sealed class LiquidCardContext : LiquidTemplateContext
{
    internal LiquidCardContext(CardScriptState state) => State = state;

    internal CardScriptState State { get; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => base.Write(span, CardScriptState.Escape(textAsObject, this)!);

    public override bool ToBool(SourceSpan span, object? value) => CardScriptState.Falsy(value) is { } falsy ? !falsy : base.ToBool(span, value);
}
