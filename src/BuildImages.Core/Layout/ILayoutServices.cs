using BuildImages.Core.Assets;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Layout;

/// <summary>What layout needs from the render: text shaping and images (decoded once per render).</summary>
internal interface ILayoutServices
{
    TextBlock Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight);

    double NaturalWidth(TextNode node, TextStyle style, double size);

    LoadedImage Image(ImageNode node);
}
