using BuildImages.Core.Native;

namespace BuildImages.Core.Text;

/// <summary>
/// A pango layout ready to draw, with its measured extents in card pixels. Layout is done once, with
/// hinting and glyph-position rounding off, so the same layout draws at every scale.
/// </summary>
internal sealed class ShapedText : IDisposable
{
    internal ShapedText(GObjectHandle layout, double width, double height, double inkLeft, double inkTop, double inkRight, double inkBottom, int lineCount, bool ellipsized, double size)
    {
        Layout = layout;
        Width = width;
        Height = height;
        InkLeft = inkLeft;
        InkTop = inkTop;
        InkRight = inkRight;
        InkBottom = inkBottom;
        LineCount = lineCount;
        Ellipsized = ellipsized;
        Size = size;
    }

    internal GObjectHandle Layout { get; }

    /// <summary>Logical width and height (line boxes), card pixels.</summary>
    internal double Width { get; }
    internal double Height { get; }

    /// <summary>Ink extents relative to the layout origin, card pixels.</summary>
    internal double InkLeft { get; }
    internal double InkTop { get; }
    internal double InkRight { get; }
    internal double InkBottom { get; }

    internal int LineCount { get; }
    internal bool Ellipsized { get; }

    /// <summary>The font size the text was set at (after shrink-to-fit).</summary>
    internal double Size { get; }

    public void Dispose() => Layout.Dispose();
}
