using BuildImages.Core.Markup;

namespace BuildImages.Core.Text;

/// <summary>How a paragraph is set: its lines, direction and the box it must fit (its spans carry their own fonts).</summary>
internal sealed record ParagraphStyle
{
    /// <summary>
    /// The line height as a multiple of the largest font size on the line (CSS: a line of the first family is exactly
    /// that high); a line whose glyphs' ink reaches past the first family's ascent or descent grows by the difference,
    /// so tall scripts (stacked Myanmar, Tibetan, Thai marks) never overlap the next line. Null: each line's fonts' own
    /// ascent, descent and line gap.
    /// </summary>
    public float? LineHeight { get; init; }

    /// <summary>0 left to right, 1 right to left, null from the first strong character (UAX #9 P2–P3; <c>dir="auto"</c>).</summary>
    public int? Direction { get; init; }

    /// <summary>A BCP 47 language tag for the shaper's language-specific forms; null: none (the same on every machine).</summary>
    public string? Language { get; init; }

    /// <summary>CSS <c>word-break: keep-all</c> (Korean set in words).</summary>
    public bool KeepAll { get; init; }

    /// <summary>Start and end follow the paragraph's direction; justify stretches the spaces of every line but the last.</summary>
    public TextAlign Align { get; init; } = TextAlign.Start;

    /// <summary>The widest a line may be, in pixels; null: lines end only at hard breaks.</summary>
    public float? MaxWidth { get; init; }

    /// <summary>At most this many lines; the last one kept ends in an ellipsis when text was cut.</summary>
    public int? MaxLines { get; init; }

    /// <summary>At most this high, in pixels: lines that would pass it are cut like <see cref="MaxLines"/> (one line is always kept).</summary>
    public float? MaxHeight { get; init; }
}

/// <summary>How a span of text is set: its fonts, size and spacing.</summary>
internal sealed record SpanStyle
{
    /// <summary>Font families in order (names or CSS generic families); fallback continues through the whole font set.</summary>
    public required IReadOnlyList<string> Families { get; init; }

    /// <summary>The font size in pixels.</summary>
    public required float Size { get; init; }

    public int Weight { get; init; } = 400;

    public FontSlant Slant { get; init; } = FontSlant.Upright;

    /// <summary>Extra space after each grapheme cluster, in pixels (optional ligatures are off when it is not 0).</summary>
    public float LetterSpacing { get; init; }

    /// <summary>Variable font axes as <c>wght=650,opsz=32</c> (a <c>wght</c> here wins over <see cref="Weight"/>); null: the weight alone.</summary>
    public string? Variations { get; init; }
}

/// <summary>A piece of a paragraph's text in one style; <paramref name="Tag"/> is the caller's (its colour, its decoration) and comes back on each glyph run.</summary>
internal sealed record TextSpan(string Text, SpanStyle Style, int Tag = 0);
