namespace BuildImages.Core.Text;

/// <summary>
/// One face of a font file as the file itself describes it (no fontconfig, no system): its names, weight, width and
/// slant, variation axes, colour glyph formats and the code points its character map covers. The font set matches
/// and falls back on these, so the same files give the same choices on every OS.
/// </summary>
/// <param name="File">The font file's full path.</param>
/// <param name="Index">The face's index in a collection (.ttc/.otc); 0 in a single-face file.</param>
/// <param name="Family">The typographic family (name ID 16), else the family (ID 1): what CSS <c>font-family</c> matches.</param>
/// <param name="Subfamily">The typographic subfamily (ID 17), else the subfamily (ID 2): "Bold Italic", "Regular".</param>
/// <param name="FullName">The full name (ID 4).</param>
/// <param name="PostScriptName">The PostScript name (ID 6).</param>
/// <param name="Weight">OS/2 usWeightClass, 1–1000 (400 when the font has no OS/2 table).</param>
/// <param name="Width">OS/2 usWidthClass, 1 (ultra-condensed) to 9 (ultra-expanded), 5 normal.</param>
/// <param name="Slant">Upright, italic or oblique, from OS/2 fsSelection (else head.macStyle).</param>
/// <param name="Axes">The variation axes (fvar); empty for a static font.</param>
/// <param name="Color">The colour glyph tables the face has.</param>
/// <param name="Coverage">The code points its character map gives a glyph, as HarfBuzz will look them up.</param>
internal sealed record FontFace(
    string File,
    int Index,
    string Family,
    string Subfamily,
    string FullName,
    string PostScriptName,
    int Weight,
    int Width,
    FontSlant Slant,
    IReadOnlyList<FontAxis> Axes,
    FontColorFormats Color,
    CodepointSet Coverage)
{
    /// <summary>Whether the face draws in colour (an emoji font): fallback never gives it spaces, punctuation or letters another font has.</summary>
    internal bool IsColor => Color != FontColorFormats.None;

    /// <summary>The weights the face can draw: its own, or its <c>wght</c> axis's range.</summary>
    internal (int Min, int Max) WeightRange =>
        Axes.FirstOrDefault(a => a.Tag == "wght") is { } axis ? ((int)Math.Round(axis.Min), (int)Math.Round(axis.Max)) : (Weight, Weight);
}

/// <summary>How a face slants.</summary>
internal enum FontSlant
{
    Upright,
    Italic,
    Oblique,
}

/// <summary>A variation axis (fvar): its tag and range in user units.</summary>
internal sealed record FontAxis(string Tag, float Min, float Default, float Max);

/// <summary>Colour glyph tables.</summary>
[Flags]
internal enum FontColorFormats
{
    None = 0,
    Colr = 1,
    Cbdt = 2,
    Sbix = 4,
    Svg = 8,
}
