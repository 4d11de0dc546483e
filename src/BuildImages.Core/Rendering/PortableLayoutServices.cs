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
internal sealed class PortableLayoutServices(ILayoutServices images, SkiaText text) : ILayoutServices
{
    public TextBlock Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight) =>
        text.Set(node, style, size, width, maxLines, maxHeight);

    public double NaturalWidth(TextNode node, TextStyle style, double size) => text.Set(node, style, size, null, null, null).Width;

    public LoadedImage Image(ImageNode node) => images.Image(node);
}
