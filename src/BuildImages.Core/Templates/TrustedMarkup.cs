namespace BuildImages.Core.Templates;

/// <summary>
/// Markup a template author vouches for, written without escaping: what <c>raw</c> returns and what an include
/// writes. Never for item data: a value from an item written raw could add elements or images to the card.
/// </summary>
internal sealed record TrustedMarkup(string Markup)
{
    public override string ToString() => Markup;
}
