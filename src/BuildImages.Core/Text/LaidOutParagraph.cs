namespace BuildImages.Core.Text;

/// <summary>
/// A paragraph set in lines: what a painter draws (glyphs of faces at positions) and what layout needs (its size). Glyph
/// positions are in pixels from the paragraph's top left, baselines included; y grows downwards.
/// </summary>
/// <param name="Lines">The lines, top to bottom.</param>
/// <param name="Width">The widest line's width (without trailing spaces).</param>
/// <param name="Height">The lines' heights together.</param>
/// <param name="Ellipsized">Whether text was cut at <see cref="ParagraphStyle.MaxLines"/> and an ellipsis put in.</param>
/// <param name="Missing">Code points no face covers, in text order, each once (drawn as the font's missing glyph: reported, never silent).</param>
internal sealed record LaidOutParagraph(IReadOnlyList<LaidOutLine> Lines, float Width, float Height, bool Ellipsized, IReadOnlyList<int> Missing);

/// <summary>One line: its runs left to right, its box and baseline, and the code points it holds (logical order).</summary>
/// <param name="Runs">Glyph runs in visual order, left to right.</param>
/// <param name="Start">The first code point's index in the paragraph.</param>
/// <param name="End">The index after its last code point.</param>
/// <param name="Top">The line box's top, from the paragraph's top.</param>
/// <param name="Height">The line box's height: the line height, or more when its fonts need it.</param>
/// <param name="Baseline">The baseline, from the paragraph's top.</param>
/// <param name="Width">The ink advance of the line without trailing spaces.</param>
internal sealed record LaidOutLine(IReadOnlyList<GlyphRun> Runs, int Start, int End, float Top, float Height, float Baseline, float Width);

/// <summary>Glyphs of one face at one size, positioned (pixels from the paragraph's top left, on their baseline).</summary>
/// <param name="Face">The face that draws them.</param>
/// <param name="Size">The font size in pixels.</param>
/// <param name="Glyphs">Glyph ids in the face.</param>
/// <param name="X">Each glyph's origin, x.</param>
/// <param name="Y">Each glyph's origin, y (the baseline plus the shaper's offset).</param>
/// <param name="Clusters">Each glyph's first code point, as an index in the paragraph.</param>
/// <param name="RightToLeft">Whether the run was shaped right to left (its glyphs are already in visual order).</param>
/// <param name="Variations">The axes a variable face is drawn at (its wght from the span's weight unless the span sets it); empty for a static face.</param>
/// <param name="Tag">The tag of the span the glyphs come from (<see cref="TextSpan.Tag"/>; the ellipsis takes its line's last span's).</param>
internal sealed record GlyphRun(FontFace Face, float Size, uint[] Glyphs, float[] X, float[] Y, int[] Clusters, bool RightToLeft, IReadOnlyList<FontVariation> Variations, int Tag);

/// <summary>One variable font axis at a value.</summary>
internal readonly record struct FontVariation(string Tag, float Value);
