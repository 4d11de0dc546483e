namespace BuildImages.Core.Text;

/// <summary>
/// Collects, over one render, the font files the text was drawn with and the code points no font covered
/// (drawn as a box otherwise), read from each paragraph <see cref="ParagraphLayout"/> set.
/// </summary>
internal sealed class TextUsage
{
    private readonly bool _enabled;

    private TextUsage(bool enabled) => _enabled = enabled;

    internal TextUsage() : this(true) { }

    internal static TextUsage Ignore { get; } = new(false);

    internal SortedSet<string> FontFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Uncovered code points with the text they were found in.</summary>
    internal List<(int CodePoint, string Text)> Uncovered { get; } = [];

    /// <summary>Whether any run was laid out right to left (bidi level odd).</summary>
    internal bool HasRightToLeftRun { get; private set; }

    /// <summary>Records a set paragraph: the faces its runs drew with, and what no face covered.</summary>
    internal void Record(LaidOutParagraph paragraph, string plainText)
    {
        if (!_enabled)
        {
            return;
        }
        foreach (var run in paragraph.Lines.SelectMany(l => l.Runs))
        {
            FontFiles.Add(run.Face.File);
            HasRightToLeftRun |= run.RightToLeft;
        }
        foreach (var cp in paragraph.Missing)
        {
            if (!Uncovered.Exists(u => u.CodePoint == cp))
            {
                Uncovered.Add((cp, plainText));
            }
        }
    }
}
