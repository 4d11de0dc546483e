using BuildImages.Core.Templates;

namespace BuildImages.Core.Rendering;

/// <summary>A card whose template has been evaluated but not laid out: its markup and the template files it read.</summary>
public sealed class EvaluatedCard
{
    internal EvaluatedCard(TemplateOutput output, CardSize size, string mainFile, string? itemName, IReadOnlyDictionary<string, string> inline)
    {
        Output = output;
        Size = size;
        MainFile = mainFile;
        ItemName = itemName;
        Inline = inline;
    }

    /// <summary>The markup the template produced.</summary>
    public string Markup => Output.Markup;

    /// <summary>The template and include files the evaluation read.</summary>
    public IReadOnlyList<string> TemplateFiles => Output.SourceFiles;

    public CardSize Size { get; }

    internal TemplateOutput Output { get; }
    internal string MainFile { get; }
    internal string? ItemName { get; }

    /// <summary>Large data: URIs of the item, by the content-named reference the markup holds.</summary>
    internal IReadOnlyDictionary<string, string> Inline { get; }
}
