namespace BuildImages.Core.Text;

/// <summary>
/// A text element set in lines, as layout sees it: its size, line count and whether it was cut. Two stacks make one
/// until issue 25's cut-over: pango's (<see cref="ShapedText"/>, drawn by cairo) and ours (<see cref="PortableTextBlock"/>,
/// drawn by Skia).
/// </summary>
internal abstract class TextBlock : IDisposable
{
    /// <summary>Logical width and height (line boxes), card pixels.</summary>
    internal abstract double Width { get; }

    internal abstract double Height { get; }

    /// <summary>Ink extents relative to the block's origin, card pixels.</summary>
    internal abstract double InkLeft { get; }

    internal abstract double InkTop { get; }

    internal abstract double InkRight { get; }

    internal abstract double InkBottom { get; }

    internal abstract int LineCount { get; }

    internal abstract bool Ellipsized { get; }

    /// <summary>The font size the text was set at (after shrink-to-fit).</summary>
    internal abstract double Size { get; }

    public abstract void Dispose();
}
