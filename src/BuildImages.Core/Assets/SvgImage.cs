using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Core.Assets;

/// <summary>An SVG kept as vectors and drawn by librsvg at the render's scale.</summary>
internal sealed class SvgImage : LoadedImage
{
    private readonly GObjectHandle _handle;
    private readonly string _reference;

    private SvgImage(GObjectHandle handle, double width, double height, string reference)
    {
        _handle = handle;
        Width = width;
        Height = height;
        _reference = reference;
    }

    internal override double Width { get; }
    internal override double Height { get; }

    /// <summary>Parses the SVG; without a base file librsvg refuses external references, so nothing else is read.</summary>
    internal static SvgImage Load(AssetSource source)
    {
        var ptr = RsvgApi.rsvg_handle_new_from_data(source.Bytes, (nuint)source.Bytes.Length, out var error);
        if (ptr == IntPtr.Zero)
        {
            throw CardException.Error(DiagnosticCodes.CorruptImage, $"image '{source.Reference}' is not a valid SVG: {GObjectApi.TakeError(error)}", source.FilePath);
        }
        var handle = new GObjectHandle(ptr);
        if (RsvgApi.rsvg_handle_get_intrinsic_size_in_pixels(handle, out var w, out var h) == 0 || w <= 0 || h <= 0)
        {
            // No width/height (only a viewBox): treat it as a square icon the box will scale.
            (w, h) = (512, 512);
        }
        return new SvgImage(handle, w, h, source.Reference);
    }

    internal override void Paint(CairoContextHandle cr, double x, double y, double w, double h)
    {
        var viewport = new RsvgRectangle { X = x, Y = y, Width = w, Height = h };
        if (RsvgApi.rsvg_handle_render_document(_handle, cr, ref viewport, out var error) == 0)
        {
            throw CardException.Error(DiagnosticCodes.CorruptImage, $"image '{_reference}' could not be drawn: {GObjectApi.TakeError(error)}");
        }
    }

    public override void Dispose() => _handle.Dispose();
}
