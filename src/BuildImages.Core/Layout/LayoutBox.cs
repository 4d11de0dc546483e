using BuildImages.Core.Assets;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Layout;

/// <summary>
/// One laid-out element: its border box relative to the parent's border box, in card pixels, plus
/// what drawing needs (the shaped text, the decoded image).
/// </summary>
internal sealed class LayoutBox
{
    internal LayoutBox(CardNode node, double width, double height)
    {
        Node = node;
        Width = width;
        Height = height;
    }

    internal CardNode Node { get; }
    internal double X { get; set; }
    internal double Y { get; set; }
    internal double Width { get; }
    internal double Height { get; }
    internal List<LayoutBox> Children { get; } = [];

    /// <summary>For text: the layout and its origin relative to this box.</summary>
    internal TextBlock? Text { get; init; }
    internal double TextX { get; init; }
    internal double TextY { get; init; }

    /// <summary>For images: the decoded image.</summary>
    internal LoadedImage? Image { get; init; }

    /// <summary>This box and every box below it, depth first.</summary>
    internal IEnumerable<LayoutBox> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var d in child.Descendants())
            {
                yield return d;
            }
        }
    }
}
