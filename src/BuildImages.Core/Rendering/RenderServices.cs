using BuildImages.Core.Assets;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Rendering;

/// <summary>
/// Layout's view of one render: shaping with usage recorded, images decoded once and located on error. Large
/// data: URIs from the item arrive as references into <paramref name="inline"/> (see <see cref="Templates.ItemValueLimits"/>).
/// </summary>
internal sealed class RenderServices(TextShaper shaper, AssetResolver assets, DecodedImageCache images, IReadOnlyDictionary<string, string> inline) : ILayoutServices
{
    private readonly Dictionary<string, LoadedImage> _images = new(StringComparer.Ordinal);

    internal TextUsage Usage { get; } = new();

    internal SortedSet<string> AssetFiles { get; } = new(StringComparer.Ordinal);

    internal IEnumerable<LoadedImage> Images => _images.Values;

    public TextBlock Shape(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight) =>
        shaper.Shape(node, style, size, width, maxLines, maxHeight, Usage);

    public double NaturalWidth(TextNode node, TextStyle style, double size) => shaper.NaturalWidth(node, style, size);

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
