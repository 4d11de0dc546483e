namespace BuildImages.Core.Markup;

/// <summary>Where an element starts in the rendered markup (1-based).</summary>
internal readonly record struct MarkupPosition(int Line, int Column);

/// <summary>Any element of the card markup; box properties are common to all.</summary>
internal abstract class CardNode
{
    public required string ElementName { get; init; }
    public MarkupPosition Position { get; init; }

    /// <summary>Position, size, grow and opacity, common to every element.</summary>
    public BoxProperties Box { get; init; } = BoxProperties.Default;

    public Length? X => Box.X;
    public Length? Y => Box.Y;
    public Length? Width => Box.Width;
    public Length? Height => Box.Height;
    public double Grow => Box.Grow;
    public double Opacity => Box.Opacity;

    /// <summary>Positioned absolutely in the parent's content box when x or y is given.</summary>
    public bool IsAbsolute => X is not null || Y is not null;
}

/// <summary>A flow container (<c>stack</c>, <c>row</c>, <c>column</c>) and the <c>card</c> root.</summary>
internal class ContainerNode : CardNode
{
    public StackDirection Direction { get; init; }
    public double Gap { get; init; }
    public Thickness Padding { get; init; }
    public CrossAlign Align { get; init; } = CrossAlign.Stretch;
    public MainJustify Justify { get; init; }
    public Paint? Background { get; init; }
    public Corners Radius { get; init; }
    public Paint? Stroke { get; init; }
    public double StrokeWidth { get; init; } = 1;
    public Shadow? Shadow { get; init; }
    public bool Clip { get; init; }
    public TextStyle Text { get; init; } = TextStyle.Empty;
    public IReadOnlyList<CardNode> Children { get; init; } = [];
}

/// <summary>The root element: the card's size in card pixels.</summary>
internal sealed class CardRootNode : ContainerNode
{
    public int CardWidth { get; init; }
    public int CardHeight { get; init; }
}

/// <summary>A paragraph of styled inline content.</summary>
internal sealed class TextNode : CardNode
{
    public TextStyle Text { get; init; } = TextStyle.Empty;
    public IReadOnlyList<InlineNode> Inlines { get; init; } = [];
    public int? MaxLines { get; init; }
    /// <summary>Shrink-to-fit: the smallest size the text may shrink to (the style's size is the largest).</summary>
    public double? MinSize { get; init; }
    public VerticalAlign VAlign { get; init; }
    public Shadow? Shadow { get; init; }
    public Paint? Background { get; init; }
    public Thickness Padding { get; init; }
    public Corners Radius { get; init; }
}

/// <summary>Inline content of a text element.</summary>
internal abstract record InlineNode;

internal sealed record InlineText(string Text) : InlineNode;

internal sealed record InlineBreak : InlineNode;

/// <summary>A span with its own style (a highlighted word, another weight).</summary>
internal sealed record InlineSpan(TextStyle Style, Rgba? Background, bool Underline, bool Strikethrough, IReadOnlyList<InlineNode> Children) : InlineNode;

/// <summary>A rectangle with optional rounded corners.</summary>
internal sealed class RectNode : CardNode
{
    public Paint? Fill { get; init; }
    public Corners Radius { get; init; }
    public Paint? Stroke { get; init; }
    public double StrokeWidth { get; init; } = 1;
    public Shadow? Shadow { get; init; }
}

/// <summary>An ellipse filling its box (a circle when the box is square).</summary>
internal sealed class EllipseNode : CardNode
{
    public Paint? Fill { get; init; }
    public Paint? Stroke { get; init; }
    public double StrokeWidth { get; init; } = 1;
    public Shadow? Shadow { get; init; }
}

/// <summary>A straight line in the parent's content box coordinates.</summary>
internal sealed class LineNode : CardNode
{
    public double X1 { get; init; }
    public double Y1 { get; init; }
    public double X2 { get; init; }
    public double Y2 { get; init; }
    public Paint Stroke { get; init; } = new SolidPaint(Rgba.Black);
    public double StrokeWidth { get; init; } = 1;
    public bool RoundCap { get; init; }
}

/// <summary>A raster or SVG image.</summary>
internal sealed class ImageNode : CardNode
{
    public required string Source { get; init; }
    public ImageFit Fit { get; init; }
    public double FocusX { get; init; } = 0.5;
    public double FocusY { get; init; } = 0.5;
    public Corners Radius { get; init; }
    public bool Circle { get; init; }
    public Shadow? Shadow { get; init; }
}
