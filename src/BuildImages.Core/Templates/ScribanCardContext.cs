using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BuildImages.Core.Templates;

/// <summary>Scriban syntax (<c>card.sbn</c>).</summary>
internal sealed class ScribanCardContext : TemplateContext
{
    internal ScribanCardContext(ScriptObject builtins, CardScriptState state) : base(builtins) => State = state;

    internal CardScriptState State { get; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => base.Write(span, CardScriptState.Escape(textAsObject, this)!);

    public override bool ToBool(SourceSpan span, object? value) => CardScriptState.Falsy(value) is { } falsy ? !falsy : base.ToBool(span, value);
}
