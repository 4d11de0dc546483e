namespace BuildImages.Core.Text;

/// <summary>
/// Collects, over one render, the font files the text was drawn with and the code points no font covered
/// (drawn as a box otherwise), read from each paragraph <see cref="ParagraphLayout"/> set.
/// </summary>
internal sealed class TextUsage
{
    internal SortedSet<string> FontFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>The colour faces (emoji fonts) the text was drawn with, by file and index.</summary>
    internal Dictionary<(string File, int Index), FontFace> ColourFaces { get; } = [];

    /// <summary>Uncovered code points with the text they were found in.</summary>
    internal List<(int CodePoint, string Text)> Uncovered { get; } = [];

    /// <summary>Records a set paragraph: the faces its runs drew with, and what no face covered.</summary>
    internal void Record(LaidOutParagraph paragraph, string plainText)
    {
        foreach (var run in paragraph.Lines.SelectMany(l => l.Runs))
        {
            FontFiles.Add(run.Face.File);
            if (run.Face.IsColor)
            {
                ColourFaces.TryAdd((run.Face.File, run.Face.Index), run.Face);
            }
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
