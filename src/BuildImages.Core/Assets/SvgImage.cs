using BuildImages.Core.Diagnostics;
using NetVips;

namespace BuildImages.Core.Assets;

/// <summary>
/// An SVG kept as its bytes and drawn by libvips' svgload (librsvg) at the device size it is drawn at, so vectors stay
/// sharp at every output width. Loaded from a buffer with no base file, so librsvg refuses every external reference:
/// nothing but the SVG's own bytes (and data: URIs inside it) is read. Drawn pixels go through the engine's shared
/// <see cref="DecodedImageCache"/> (content hash + device size), so a logo behind every card is rasterised once per
/// size it is drawn at, not once per card.
/// </summary>
internal sealed class SvgImage : LoadedImage
{
    /// <summary>No SVG is drawn larger than this many device pixels (a hostile width would allocate gigabytes).</summary>
    private const long MaxDevicePixels = 64_000_000;

    private readonly byte[] _bytes;
    private readonly string _reference;
    private readonly SvgFilterWork? _filters;
    private readonly DecodedImageCache _cache;
    private readonly RasterHeader _header;

    private SvgImage(byte[] bytes, RasterHeader header, string reference, SvgFilterWork? filters, DecodedImageCache cache)
    {
        _bytes = bytes;
        _header = header;
        _reference = reference;
        _filters = filters;
        _cache = cache;
    }

    internal override double Width => _header.Width;
    internal override double Height => _header.Height;

    /// <summary>
    /// The SVG's intrinsic size (a viewBox alone gives the viewBox's size), read by svgload once per content through the
    /// engine's image cache, as a raster's header is: later cards with the same SVG only hash its bytes.
    /// </summary>
    internal static SvgImage Load(AssetSource source, DecodedImageCache cache)
    {
        Native.NativeStack.EnsureLoaded();
        try
        {
            var header = cache.Header(source.Bytes, bytes =>
            {
                using var svg = Image.SvgloadBuffer(bytes, access: Enums.Access.Sequential);
                return (svg.Width, svg.Height);
            });
            return new SvgImage(source.Bytes, header, source.Reference, SvgFilterWork.Read(source.Bytes, header.Width), cache);
        }
        catch (VipsException ex)
        {
            throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' is not a valid SVG: {ImageProbe.FirstLine(ex.Message)}", source.FilePath);
        }
    }

    internal override void Draw(SkiaSharp.SKCanvas canvas, double x, double y, double w, double h)
    {
        var m = canvas.TotalMatrix;
        var deviceWidth = Math.Abs(w) * Math.Sqrt((m.ScaleX * m.ScaleX) + (m.SkewY * m.SkewY));
        var deviceHeight = Math.Abs(h) * Math.Sqrt((m.SkewX * m.SkewX) + (m.ScaleY * m.ScaleY));
        if (_filters is { HasFilters: true })
        {
            var cost = _filters.Cost(deviceWidth, deviceHeight);
            if (!(cost <= SvgFilterWork.Budget))
            {
                throw BuildInputException.Error(DiagnosticCodes.DrawingBudget, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"image '{_reference}' has SVG filters estimated at {cost:0.#e0} pixel operations at {deviceWidth:0}×{deviceHeight:0} px, over the budget of {SvgFilterWork.Budget:0.#e0} (large feMorphology radii, many feTurbulence octaves or filters repeated by <use>); simplify the filters or use a raster image"));
            }
        }
        // svgload scales both axes alike: render at the larger ratio and let the canvas fit the rest.
        var scale = Math.Max(deviceWidth / Width, deviceHeight / Height);
        if (!(scale > 0))
        {
            return;
        }
        var pixelWidth = Math.Max(1, (int)Math.Round(Width * scale));
        var pixelHeight = Math.Max(1, (int)Math.Round(Height * scale));
        if ((long)pixelWidth * pixelHeight > MaxDevicePixels)
        {
            throw BuildInputException.Error(DiagnosticCodes.DrawingBudget, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"image '{_reference}' would be drawn at {pixelWidth}×{pixelHeight} device pixels, over the limit of {MaxDevicePixels / 1_000_000} million for one SVG; draw it smaller"));
        }
        DecodedPixels pixels;
        try
        {
            pixels = _cache.Get(_header, _bytes, pixelWidth, pixelHeight, Rasterise);
        }
        catch (VipsException ex)
        {
            throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{_reference}' could not be drawn: {ImageProbe.FirstLine(ex.Message)}");
        }
        DrawPixels(canvas, pixels, x, y, w, h);
    }

    /// <summary>
    /// The SVG drawn at the scale its pixel size gives: a function of the cache key alone, so the pixels a card gets
    /// never depend on which card drew the SVG first.
    /// </summary>
    private DecodedPixels Rasterise(byte[] bytes, int pixelWidth, int pixelHeight)
    {
        using var drawn = Image.SvgloadBuffer(bytes, scale: Math.Max(pixelWidth / Width, pixelHeight / Height));
        return ImageDecoder.ToCanvasPixels(drawn);
    }

    public override void Dispose()
    {
        // Nothing of its own: the pixels belong to the cache.
    }
}
