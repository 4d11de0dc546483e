using BuildImages.Core.Assets;
using BuildImages.Core.Drawing;
using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Rendering;

/// <summary>
/// Layout measuring text with our own stack (issue 25) instead of pango, images as the render's services load them:
/// what the renderer uses once the cut-over lands; until then only for <see cref="CardRenderer.UsePortableText"/>.
/// </summary>
internal sealed class PortableLayoutServices(RenderServices images, SkiaText text) : ILayoutServices
{
    /// <summary>Sets the text and records what it drew with and what no face covered, as the pango path records it (for the card's inputs and its coverage warnings).</summary>
    public TextBlock Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight)
    {
        var block = text.Set(node, style, size, width, maxLines, maxHeight);
        images.Usage.Record(block.Paragraph, block.Text);
        return block;
    }

    public double NaturalWidth(TextNode node, TextStyle style, double size) => text.Set(node, style, size, null, null, null).Width;

    public LoadedImage Image(ImageNode node) => images.Image(node);
}
