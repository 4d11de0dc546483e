namespace BuildImages.Core.Text;

/// <summary>
/// A text element set by our own stack (<see cref="ParagraphLayout"/>): the paragraph to draw and what its spans paint.
/// Its ink is taken as its line boxes (only the cairo painter's shadow reads ink, and cairo does not draw this text).
/// </summary>
internal sealed class PortableTextBlock(LaidOutParagraph paragraph, IReadOnlyList<SpanDecoration> decorations, double size, string text) : TextBlock
{
    internal LaidOutParagraph Paragraph { get; } = paragraph;

    /// <summary>The text as set (whitespace collapsed): what a coverage warning quotes.</summary>
    internal string Text { get; } = text;

    internal IReadOnlyList<SpanDecoration> Decorations { get; } = decorations;

    internal override double Width => Paragraph.Width;

    internal override double Height => Paragraph.Height;

    internal override double InkLeft => 0;

    internal override double InkTop => 0;

    internal override double InkRight => Paragraph.Width;

    internal override double InkBottom => Paragraph.Height;

    internal override int LineCount => Paragraph.Lines.Count;

    internal override bool Ellipsized => Paragraph.Ellipsized;

    internal override double Size { get; } = size;

    public override void Dispose()
    {
        // Nothing native of its own: faces and typefaces belong to the engine's stack.
    }
}
