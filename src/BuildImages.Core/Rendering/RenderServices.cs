using BuildImages.Core.Assets;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Drawing;
using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Rendering;

/// <summary>
/// Layout's view of one render: text set by our paragraph layout with what it drew with and what no face covered
/// recorded (for the card's inputs and its coverage warnings), images decoded once and located on error. Large
/// data: URIs from the item arrive as references into <paramref name="inline"/> (see <see cref="Templates.ItemValueLimits"/>).
/// </summary>
internal sealed class RenderServices(SkiaText text, AssetResolver assets, DecodedImageCache images, IReadOnlyDictionary<string, string> inline) : ILayoutServices
{
    private readonly Dictionary<string, LoadedImage> _images = new(StringComparer.Ordinal);

    internal TextUsage Usage { get; } = new();

    internal SortedSet<string> AssetFiles { get; } = new(StringComparer.Ordinal);

    internal IEnumerable<LoadedImage> Images => _images.Values;

    public TextBlock Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight)
    {
        var block = text.Set(node, style, size, width, maxLines, maxHeight);
        Usage.Record(block.Paragraph, block.Text);
        return block;
    }

    public double NaturalWidth(TextNode node, TextStyle style, double size) => text.Set(node, style, size, null, null, null).Width;

    public LoadedImage Image(ImageNode node)
    {
        if (_images.TryGetValue(node.Source, out var cached))
        {
            return cached;
        }
        try
        {
            var source = assets.Resolve(inline.GetValueOrDefault(node.Source) ?? node.Source);
            var image = ImageDecoder.Decode(source, images);
            if (source.FilePath is not null)
            {
                AssetFiles.Add(source.FilePath);
            }
            _images[node.Source] = image;
            return image;
        }
        catch (BuildInputException ex) when (ex.Diagnostic.Line == 0)
        {
            // Locate the problem at the <image> element; the asset path stays in the message.
            throw BuildInputException.For(ex.Diagnostic with { File = null, Line = node.Position.Line, Column = node.Position.Column }, ex);
        }
    }
}
