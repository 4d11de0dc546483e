using BuildImages.Core.Markup;

namespace BuildImages.Core.Text;

/// <summary>
/// A text element's inline tree as spans for <see cref="ParagraphLayout"/>, whitespace collapsed as HTML
/// collapses it ( runs of spaces are one, spaces at the start, the end and around line breaks are dropped,
/// control characters other than tab are dropped), each span's style inherited from its parents, and what each span
/// paints (its colour, background, lines) in <see cref="Decorations"/> by its tag.
/// </summary>
internal sealed class InlineSpans
{
    private readonly List<TextSpan> _spans = [];
    private readonly List<SpanDecoration> _decorations = [];
    private readonly System.Text.StringBuilder _pending = new();
    private bool _atLineStart = true;
    private bool _pendingSpace;
    private readonly Dictionary<TextStyle, SpanStyle> _styles = [];
    private (SpanStyle Style, int Tag)? _current;

    private InlineSpans()
    {
    }

    internal IReadOnlyList<TextSpan> Spans => _spans;

    /// <summary>What each span paints, by <see cref="TextSpan.Tag"/>.</summary>
    internal IReadOnlyList<SpanDecoration> Decorations => _decorations;

    /// <summary>The spans of <paramref name="inlines"/> set in <paramref name="root"/> at <paramref name="size"/> (the root's size after shrink-to-fit; a span with its own size keeps it).</summary>
    internal static InlineSpans Build(IReadOnlyList<InlineNode> inlines, TextStyle root, double size)
    {
        var builder = new InlineSpans();
        var style = root with { Size = size };
        builder.Append(inlines, style, new SpanDecoration(style.Color ?? Rgba.Black, null, false, false));
        builder.Flush();
        builder.CutAt(TextCut.MaxCharacters);
        if (builder._spans.Count == 0)
        {
            builder._spans.Add(new TextSpan(string.Empty, SpanStyleOf(style), builder.Decorate(new SpanDecoration(style.Color ?? Rgba.Black, null, false, false))));
        }
        return builder;
    }

    /// <summary>
    /// Keeps the first <paramref name="max"/> characters, cut between grapheme clusters: no
    /// card shows more, and a hostile megabyte title must not cost a megabyte of shaping and line breaking.
    /// </summary>
    private void CutAt(int max)
    {
        var used = 0;
        for (var i = 0; i < _spans.Count; i++)
        {
            var span = _spans[i];
            if (used + span.Text.Length > max)
            {
                var kept = TextCut.Cut(span.Text, max - used);
                _spans.RemoveRange(i, _spans.Count - i);
                if (kept.Length > 0)
                {
                    _spans.Add(span with { Text = kept });
                }
                return;
            }
            used += span.Text.Length;
        }
    }

    /// <summary>A font-family chain ("Inter, 'Noto Sans', sans-serif") as family names in order.</summary>
    internal static string[] Families(string chain) =>
        [.. chain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.Trim('"', '\'').Trim()).Where(f => f.Length > 0)];

    private static SpanStyle SpanStyleOf(TextStyle style) => new()
    {
        Families = Families(style.FontFamily ?? TextStyle.Defaults.FontFamily!),
        Size = (float)(style.Size ?? 32),
        Weight = style.Weight ?? 400,
        Slant = style.Italic == true ? FontSlant.Italic : FontSlant.Upright,
        LetterSpacing = (float)(style.LetterSpacing ?? 0),
        Variations = style.FontVariations,
    };

    private void Append(IReadOnlyList<InlineNode> inlines, TextStyle style, SpanDecoration decoration)
    {
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case InlineText t:
                    AppendText(t.Text, style, decoration);
                    break;
                case InlineBreak:
                    _pendingSpace = false;
                    Add("\n", style, decoration);
                    _atLineStart = true;
                    break;
                case InlineSpan s:
                    var inner = s.Style.Over(style);
                    Append(s.Children, inner, new SpanDecoration(inner.Color ?? decoration.Color, s.Background ?? decoration.Background, s.Underline || decoration.Underline, s.Strikethrough || decoration.Strikethrough));
                    break;
            }
        }
    }

    private void AppendText(string text, TextStyle style, SpanDecoration decoration)
    {
        foreach (var ch in text)
        {
            if (ch == ' ')
            {
                _pendingSpace = !_atLineStart;
                continue;
            }
            if (ch < 0x20 && ch != '\t')
            {
                // Control characters would draw as boxes; they carry no meaning on a card.
                continue;
            }
            _atLineStart = false;
            // A collapsed space goes with the character after it, into that character's span (so a span's background starts at its first word).
            Add(_pendingSpace ? $" {ch}" : ch.ToString(), style, decoration);
            _pendingSpace = false;
        }
    }

    private void Add(string text, TextStyle style, SpanDecoration decoration)
    {
        if (!_styles.TryGetValue(style, out var spanStyle))
        {
            _styles[style] = spanStyle = SpanStyleOf(style);
        }
        if (_current is not { } current || !ReferenceEquals(current.Style, spanStyle) || _decorations[current.Tag] != decoration)
        {
            Flush();
            _current = (spanStyle, Decorate(decoration));
        }
        _pending.Append(text);
    }

    private void Flush()
    {
        if (_current is { } current && _pending.Length > 0)
        {
            _spans.Add(new TextSpan(_pending.ToString(), current.Style, current.Tag));
        }
        _pending.Clear();
    }

    private int Decorate(SpanDecoration decoration)
    {
        var index = _decorations.IndexOf(decoration);
        if (index >= 0)
        {
            return index;
        }
        _decorations.Add(decoration);
        return _decorations.Count - 1;
    }
}

/// <summary>What a span paints besides its glyphs' shapes: their colour, a background behind them, lines through or under them.</summary>
internal sealed record SpanDecoration(Rgba Color, Rgba? Background, bool Underline, bool Strikethrough);
