using BuildImages.Core.Native;

namespace BuildImages.Core.Text;

/// <summary>
/// A pango layout ready to draw, with its measured extents in card pixels. Layout is done once, with
/// hinting and glyph-position rounding off, so the same layout draws at every scale.
/// </summary>
internal sealed class ShapedText : TextBlock
{
    internal ShapedText(GObjectHandle layout, double width, double height, double inkLeft, double inkTop, double inkRight, double inkBottom, int lineCount, bool ellipsized, double size)
    {
        Layout = layout;
        (_width, _height, _inkLeft, _inkTop, _inkRight, _inkBottom, _lineCount, _ellipsized, _size) = (width, height, inkLeft, inkTop, inkRight, inkBottom, lineCount, ellipsized, size);
    }

    private readonly double _width, _height, _inkLeft, _inkTop, _inkRight, _inkBottom, _size;
    private readonly int _lineCount;
    private readonly bool _ellipsized;

    internal GObjectHandle Layout { get; }

    internal override double Width => _width;

    internal override double Height => _height;

    internal override double InkLeft => _inkLeft;

    internal override double InkTop => _inkTop;

    internal override double InkRight => _inkRight;

    internal override double InkBottom => _inkBottom;

    internal override int LineCount => _lineCount;

    internal override bool Ellipsized => _ellipsized;

    internal override double Size => _size;

    public override void Dispose() => Layout.Dispose();
}
