namespace BuildImages.Core.Text;

/// <summary>
/// A text element set in lines by <see cref="ParagraphLayout"/>, as layout sees it (its size, line count, whether it
/// was cut) and as the painter draws it (the paragraph and what its spans paint).
/// </summary>
internal sealed class TextBlock(LaidOutParagraph paragraph, IReadOnlyList<SpanDecoration> decorations, double size, string text)
{
    internal LaidOutParagraph Paragraph { get; } = paragraph;

    /// <summary>The text as set (whitespace collapsed): what a coverage warning quotes.</summary>
    internal string Text { get; } = text;

    internal IReadOnlyList<SpanDecoration> Decorations { get; } = decorations;

    /// <summary>Logical width and height (line boxes), card pixels.</summary>
    internal double Width => Paragraph.Width;

    internal double Height => Paragraph.Height;

    internal int LineCount => Paragraph.Lines.Count;

    internal bool Ellipsized => Paragraph.Ellipsized;

    /// <summary>The font size the text was set at (after shrink-to-fit).</summary>
    internal double Size { get; } = size;
}
