using System.Globalization;
using System.Text;
using BuildImages.Core.Markup;
using HarfBuzzSharp;

namespace BuildImages.Core.Text;

/// <summary>
/// Sets a paragraph in lines with BuildImages' own text stack: grapheme clusters (.NET's UAX #29), a face per
/// cluster from the font set (never split across fonts), levels by UAX #9 (<see cref="BidiParagraph"/>), scripts by UAX
/// #24, runs shaped by HarfBuzz, lines broken by UAX #14 (<see cref="LineBreaker"/>; a word wider than the line breaks
/// between clusters), runs reordered per line (L1, L2), each line as high as its own fonts need, and at
/// <see cref="ParagraphStyle.MaxLines"/> or <see cref="ParagraphStyle.MaxHeight"/> the last line cut at a cluster and
/// ended with an ellipsis. Spans carry their own fonts, sizes and spacing; their tags come back on the glyph runs.
/// </summary>
internal static class ParagraphLayout
{
    private const int Ellipsis = 0x2026;

    /// <summary>Lays one span of text out.</summary>
    internal static LaidOutParagraph Layout(string text, SpanStyle span, ParagraphStyle style, FontSet fonts, ShapingFaces shaping) =>
        Layout([new TextSpan(text, span)], style, fonts, shaping);

    /// <summary>Lays spans out as one paragraph; there must be at least one span, and the set must hold at least one face.</summary>
    internal static LaidOutParagraph Layout(IReadOnlyList<TextSpan> spans, ParagraphStyle style, FontSet fonts, ShapingFaces shaping)
    {
        if (spans.Count == 0)
        {
            throw new ArgumentException("a paragraph needs at least one span", nameof(spans));
        }
        return new Setter(spans, style, fonts, shaping).Set();
    }

    /// <summary>Controls (line breaks, tabs) and default ignorables: nothing to draw, no face to ask for.</summary>
    private static bool IsInvisible(ReadOnlySpan<int> cluster)
    {
        foreach (var c in cluster)
        {
            if (!(IsControl(c) || FallbackData.IsDefaultIgnorable(c)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsOwnScript(int c) => ScriptData.CodeOf(c) is not (ScriptData.Common or ScriptData.Inherited);

    private static bool IsControl(int c) => c < 0x20 || c is (>= 0x7F and <= 0x9F) or 0x2028 or 0x2029;

    private static bool IsSpace(int c) => c is 0x20 or 0x3000 or 0x1680 or (>= 0x2000 and <= 0x200A and not 0x2007) or 0x205F || IsControl(c);

    /// <summary>Characters X9 removes get their neighbour's level (the one before, else the paragraph's).</summary>
    private static sbyte[] Fill(sbyte[] levels, int paragraph)
    {
        var last = (sbyte)paragraph;
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = levels[i] == BidiParagraph.Removed ? last : last = levels[i];
        }
        return levels;
    }

    /// <summary>
    /// Where a line starts and what each space gains: start and end follow the paragraph's direction; trailing spaces
    /// hang past the line's end (to the left in a right-to-left paragraph); justify stretches spaces on every line that
    /// does not end the paragraph.
    /// </summary>
    private static (float X, float SpaceExtra) Offset(TextAlign align, bool rtl, float available, float width, float trailing, bool endsParagraph, int[] cps, int start, int trimmedEnd)
    {
        var free = Math.Max(0, available - width);
        var left = align switch
        {
            TextAlign.Center => free / 2,
            TextAlign.End => rtl ? 0 : free,
            TextAlign.Justify when !endsParagraph => 0,
            _ => rtl ? free : 0,
        };
        var extra = 0f;
        if (align == TextAlign.Justify && !endsParagraph)
        {
            var spaces = 0;
            for (var i = start; i < trimmedEnd; i++)
            {
                spaces += cps[i] == 0x20 ? 1 : 0;
            }
            extra = spaces > 0 ? free / spaces : 0;
            left = spaces > 0 ? 0 : (rtl ? free : 0);
        }
        return (rtl ? left - trailing : left, extra);
    }

    /// <summary>One paragraph being set: its code points and what each belongs to, shared by the steps.</summary>
    private sealed class Setter
    {
        private readonly IReadOnlyList<TextSpan> _spans;
        private readonly ParagraphStyle _style;
        private readonly FontSet _fonts;
        private readonly ShapingFaces _shaping;
        private readonly int[] _cps;
        private readonly int[] _spanOf;
        private readonly bool[] _boundary;
        private readonly FontFace _primary;
        private readonly List<int> _missing = [];
        private FontFace[] _faces = [];
        private List<ShapedRun> _runs = [];
        private BidiParagraph _bidi = null!;
        private Measure _measure = null!;

        internal Setter(IReadOnlyList<TextSpan> spans, ParagraphStyle style, FontSet fonts, ShapingFaces shaping)
        {
            (_spans, _style, _fonts, _shaping) = (spans, style, fonts, shaping);
            var first = spans[0].Style;
            _primary = first.Families.Select(f => fonts.Match(f, first.Weight, first.Slant)).FirstOrDefault(f => f is not null)
                ?? fonts.Faces.FirstOrDefault()
                ?? throw new ArgumentException("the font set has no faces", nameof(fonts));
            (_cps, _spanOf, _boundary) = Decode(spans);
        }

        internal LaidOutParagraph Set()
        {
            var n = _cps.Length;
            _faces = FacesOf();
            _bidi = BidiParagraph.Of(_cps, _style.Direction);
            var levels = Fill(_bidi.LineLevels(0, n), _bidi.ParagraphLevel);
            _runs = Shape(levels, ScriptData.Resolve(_cps));
            var advance = new float[n + 1];
            foreach (var run in _runs)
            {
                for (var g = 0; g < run.Glyphs.Length; g++)
                {
                    advance[run.Clusters[g] + 1] += run.Advances[g];
                }
            }
            for (var i = 0; i < n; i++)
            {
                advance[i + 1] += advance[i];
            }
            _measure = new Measure(_cps, advance);
            var lines = BreakLines();
            var keep = Math.Max(1, _style.MaxLines ?? int.MaxValue);
            if (_style.MaxHeight is { } maxHeight)
            {
                // Whole lines while they fit (one at least).
                var height = 0f;
                var fit = 0;
                while (fit < lines.Count)
                {
                    var next = height + LineBox(lines[fit].Start, lines[fit].End, null).Height;
                    if (fit > 0 && next > maxHeight + 0.01f)
                    {
                        break;
                    }
                    height = next;
                    fit++;
                }
                keep = Math.Min(keep, fit);
            }
            ShapedRun? ellipsis = null;
            if (lines.Count > keep)
            {
                lines.RemoveRange(keep, lines.Count - keep);
                (lines[^1], ellipsis) = Ellipsize(lines[^1]);
            }
            return Place(lines, ellipsis);
        }

        /// <summary>Code points of all spans (unpaired surrogates as U+FFFD), each one's span, and where grapheme clusters start (index n is a boundary).</summary>
        private static (int[] CodePoints, int[] SpanOf, bool[] Boundary) Decode(IReadOnlyList<TextSpan> spans)
        {
            var text = string.Concat(spans.Select(s => s.Text));
            var cps = new List<int>(text.Length);
            var spanOf = new List<int>(text.Length);
            var at = new int[text.Length + 1];
            var span = 0;
            var spanEnd = spans[0].Text.Length;
            for (var i = 0; i < text.Length;)
            {
                while (i >= spanEnd && span < spans.Count - 1)
                {
                    spanEnd += spans[++span].Text.Length;
                }
                Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
                at[i] = cps.Count;
                cps.Add(rune.Value);
                spanOf.Add(span);
                i += Math.Max(1, length);
            }
            var boundary = new bool[cps.Count + 1];
            for (var i = 0; i < text.Length;)
            {
                boundary[at[i]] = true;
                i += Math.Max(1, StringInfo.GetNextTextElementLength(text, i));
            }
            boundary[cps.Count] = true;
            return ([.. cps], [.. spanOf], boundary);
        }

        private SpanStyle StyleAt(int index) => _spanOf.Length == 0 ? _spans[0].Style : _spans[_spanOf[Math.Clamp(index, 0, _spanOf.Length - 1)]].Style;

        /// <summary>The face of each code point: one per grapheme cluster (its first code point's span decides); what no face covers is reported.</summary>
        private FontFace[] FacesOf()
        {
            var faces = new FontFace[_cps.Length];
            var previous = _primary;
            var seen = new HashSet<int>();
            for (var start = 0; start < _cps.Length;)
            {
                var end = start + 1;
                while (!_boundary[end])
                {
                    end++;
                }
                var cluster = _cps.AsSpan(start, end - start);
                var style = StyleAt(start);
                FontFace face;
                if (IsInvisible(cluster))
                {
                    face = previous;
                }
                else if (_fonts.ForCluster(cluster, style.Families, style.Weight, style.Slant) is { } found)
                {
                    face = found;
                }
                else
                {
                    // No face has the whole cluster: the one that has its base character (only the rest is missing), else the face before it.
                    face = _fonts.ForCluster(cluster[..1], style.Families, style.Weight, style.Slant) ?? previous;
                    foreach (var c in cluster)
                    {
                        if (!IsInvisible([c]) && !face.Coverage.Contains(c) && seen.Add(c))
                        {
                            _missing.Add(c);
                        }
                    }
                }
                faces.AsSpan(start, end - start).Fill(face);
                previous = face;
                start = end;
            }
            return faces;
        }

        /// <summary>
        /// Splits the paragraph where the span, face or level changes (the face only ever between clusters) or a
        /// character of another script comes (spaces, digits and punctuation stay in the run they are in), and shapes each run.
        /// </summary>
        private List<ShapedRun> Shape(sbyte[] levels, string[] scripts)
        {
            var runs = new List<ShapedRun>();
            for (var start = 0; start < _cps.Length;)
            {
                var end = start + 1;
                var script = IsOwnScript(_cps[start]) ? scripts[start] : null;
                while (end < _cps.Length && _faces[end] == _faces[start] && levels[end] == levels[start] && _spanOf[end] == _spanOf[start])
                {
                    if (IsOwnScript(_cps[end]))
                    {
                        if (script is not null && scripts[end] != script)
                        {
                            break;
                        }
                        script ??= scripts[end];
                    }
                    end++;
                }
                var run = ShapeRun(_cps, start, end - start, _faces[start], levels[start], script ?? scripts[start], _spanOf[start], offset: 0);
                AddLetterSpacing(run, _boundary, StyleAt(start).LetterSpacing);
                runs.Add(run);
                start = end;
            }
            return runs;
        }

        /// <summary>Shapes code points [start, start + length) of <paramref name="cps"/> (the rest is context for joining) in span <paramref name="span"/>'s style; clusters are indexes in <paramref name="cps"/> plus <paramref name="offset"/>.</summary>
        private ShapedRun ShapeRun(int[] cps, int start, int length, FontFace face, int level, string script, int span, int offset)
        {
            var style = _spans[span].Style;
            var variations = ShapingFaces.Resolve(face, style.Weight, style.Variations);
            var font = _shaping.Get(face, variations);
            using var buffer = new HarfBuzzSharp.Buffer();
            buffer.AddCodepoints(cps, start, length);
            buffer.Direction = (level & 1) == 1 ? Direction.RightToLeft : Direction.LeftToRight;
            buffer.Script = Script.TryParse(script, out var parsed) ? parsed : Script.Common;
            // A fixed language, never the machine's locale (HarfBuzz's default): the same text shapes the same everywhere.
            buffer.Language = new Language(_style.Language ?? "und");
            buffer.ClusterLevel = ClusterLevel.MonotoneGraphemes;
            Feature[] features = style.LetterSpacing != 0 ? [new Feature(Tag.Parse("liga"), 0), new Feature(Tag.Parse("clig"), 0)] : [];
            font.Font.Shape(buffer, features);
            var infos = buffer.GetGlyphInfoSpan();
            var positions = buffer.GetGlyphPositionSpan();
            var scale = style.Size / font.UnitsPerEm;
            var run = new ShapedRun(face, level, start + offset, start + length + offset, infos.Length, span, style.Size, variations);
            for (var g = 0; g < infos.Length; g++)
            {
                var cluster = (int)infos[g].Cluster;
                var hidden = IsControl(cps[cluster]);
                run.Glyphs[g] = infos[g].Codepoint;
                run.Clusters[g] = cluster + offset;
                run.Advances[g] = hidden ? 0 : positions[g].XAdvance * scale;
                run.XOffsets[g] = positions[g].XOffset * scale;
                run.YOffsets[g] = positions[g].YOffset * scale;
                run.Hidden[g] = hidden;
            }
            return run;
        }

        /// <summary>Letter spacing after each grapheme cluster: on the run's last glyph of each cluster, in visual order.</summary>
        private static void AddLetterSpacing(ShapedRun run, bool[] boundary, float spacing)
        {
            if (spacing == 0)
            {
                return;
            }
            for (var g = 0; g < run.Glyphs.Length; g++)
            {
                var lastOfCluster = g == run.Glyphs.Length - 1 || run.Clusters[g + 1] != run.Clusters[g];
                if (lastOfCluster && !run.Hidden[g] && boundary[run.Clusters[g]])
                {
                    run.Advances[g] += spacing;
                }
            }
        }

        /// <summary>Greedy lines: the last break opportunity that fits, a mandatory break ends a line, a word wider than the line breaks between clusters.</summary>
        private List<(int Start, int End)> BreakLines()
        {
            var opportunities = LineBreaker.Opportunities(_cps, _style.KeepAll);
            var max = _style.MaxWidth ?? float.PositiveInfinity;
            // Empty text is one empty line, as high as a line of its style (as browsers and pango set it).
            var lines = new List<(int, int)>(_cps.Length == 0 ? [(0, 0)] : []);
            for (var start = 0; start < _cps.Length;)
            {
                var end = -1;
                var firstOpportunity = -1;
                for (var p = start + 1; p <= _cps.Length; p++)
                {
                    if (opportunities[p] == LineBreakKind.None)
                    {
                        continue;
                    }
                    firstOpportunity = firstOpportunity < 0 ? p : firstOpportunity;
                    if (_measure.Trimmed(start, p) > max + 0.01f)
                    {
                        break;
                    }
                    end = p;
                    if (opportunities[p] == LineBreakKind.Mandatory)
                    {
                        break;
                    }
                }
                if (end < 0)
                {
                    // Nothing fits: as many clusters as fit, at least one.
                    end = start + 1;
                    while (!_boundary[end])
                    {
                        end++;
                    }
                    for (var g = end + 1; g <= firstOpportunity; g++)
                    {
                        if (_boundary[g])
                        {
                            if (_measure.Trimmed(start, g) > max + 0.01f)
                            {
                                break;
                            }
                            end = g;
                        }
                    }
                }
                lines.Add((start, end));
                start = end;
            }
            return lines;
        }

        /// <summary>The last line kept, cut at a cluster so that it and an ellipsis (in the style of its last span) fit the width.</summary>
        private ((int Start, int End) Line, ShapedRun Ellipsis) Ellipsize((int Start, int End) line)
        {
            var (start, end) = line;
            var span = _spanOf.Length == 0 ? 0 : _spanOf[Math.Max(0, end - 1)];
            var style = _spans[span].Style;
            var face = _fonts.ForCluster([Ellipsis], style.Families, style.Weight, style.Slant) ?? (end > start ? _faces[end - 1] : _primary);
            var ellipsis = ShapeRun([Ellipsis], 0, 1, face, _bidi.ParagraphLevel, ScriptData.Common, span, offset: end);
            var room = (_style.MaxWidth ?? float.PositiveInfinity) - ellipsis.Advances.Sum();
            var cut = end;
            while (cut > start && _measure.Trimmed(start, cut) > room)
            {
                cut--;
                while (cut > start && !_boundary[cut])
                {
                    cut--;
                }
            }
            // No space before the ellipsis ("every…", not "every …").
            return ((start, _measure.TrimmedEnd(start, cut)), ellipsis);
        }

        private LaidOutParagraph Place(List<(int Start, int End)> lineRanges, ShapedRun? ellipsis)
        {
            var rtl = _bidi.ParagraphLevel == 1;
            var ellipsisWidth = ellipsis?.Advances.Sum() ?? 0;
            var widths = lineRanges.Select((l, i) => _measure.Trimmed(l.Start, l.End) + (ellipsis is not null && i == lineRanges.Count - 1 ? ellipsisWidth : 0)).ToArray();
            var available = _style.MaxWidth ?? (widths.Length > 0 ? widths.Max() : 0);
            var lines = new List<LaidOutLine>(lineRanges.Count);
            var top = 0f;
            for (var li = 0; li < lineRanges.Count; li++)
            {
                var (start, end) = lineRanges[li];
                var isLast = li == lineRanges.Count - 1;
                var lineEllipsis = isLast ? ellipsis : null;
                var pieces = Pieces(start, end);
                if (lineEllipsis is not null)
                {
                    pieces.Add((lineEllipsis, lineEllipsis.Start, lineEllipsis.End, (sbyte)_bidi.ParagraphLevel));
                }
                // L2 over the pieces: each piece is one level.
                var order = BidiParagraph.VisualOrder([.. pieces.Select(p => p.Level)]);
                var box = LineBox(start, end, lineEllipsis);
                var baseline = top + box.Leading + box.Ascent;
                var width = widths[li];
                var trailing = _measure.Width(start, end) - _measure.Trimmed(start, end);
                var endsParagraph = isLast || (end > 0 && IsControl(_cps[end - 1]));
                var trimmedEnd = _measure.TrimmedEnd(start, end);
                var (x, spaceExtra) = Offset(_style.Align, rtl, available, width, trailing, endsParagraph, _cps, start, trimmedEnd);
                var placed = new List<GlyphRun>(pieces.Count);
                foreach (var index in order)
                {
                    var (run, from, to, _) = pieces[index];
                    var glyphs = new List<uint>();
                    var xs = new List<float>();
                    var ys = new List<float>();
                    var clusters = new List<int>();
                    for (var g = 0; g < run.Glyphs.Length; g++)
                    {
                        var cluster = run.Clusters[g];
                        if (cluster < from || cluster >= to)
                        {
                            continue;
                        }
                        if (!run.Hidden[g])
                        {
                            glyphs.Add(run.Glyphs[g]);
                            xs.Add(x + run.XOffsets[g]);
                            ys.Add(baseline - run.YOffsets[g]);
                            clusters.Add(cluster);
                        }
                        x += run.Advances[g] + (spaceExtra != 0 && run != lineEllipsis && _cps[cluster] == 0x20 && cluster < trimmedEnd ? spaceExtra : 0);
                    }
                    if (glyphs.Count > 0)
                    {
                        placed.Add(new GlyphRun(run.Face, run.Size, [.. glyphs], [.. xs], [.. ys], [.. clusters], (run.Level & 1) == 1, run.Variations, _spans[run.Span].Tag));
                    }
                }
                lines.Add(new LaidOutLine(placed, start, end, top, box.Height, baseline, width));
                top += box.Height;
            }
            return new LaidOutParagraph(lines, widths.Length > 0 ? widths.Max() : 0, top, ellipsis is not null, _missing);
        }

        /// <summary>A line's pieces in logical order: each run cut to the line and split where the line's levels (after L1) change.</summary>
        private List<(ShapedRun Run, int From, int To, sbyte Level)> Pieces(int start, int end)
        {
            var pieces = new List<(ShapedRun, int, int, sbyte)>();
            if (end <= start)
            {
                return pieces;
            }
            var levels = Fill(_bidi.LineLevels(start, end), _bidi.ParagraphLevel);
            foreach (var run in _runs)
            {
                var from = Math.Max(run.Start, start);
                var to = Math.Min(run.End, end);
                while (from < to)
                {
                    var level = levels[from - start];
                    var next = from + 1;
                    while (next < to && levels[next - start] == level && level == run.Level)
                    {
                        next++;
                    }
                    pieces.Add((run, from, next, level));
                    from = next;
                }
            }
            return pieces;
        }

        /// <summary>
        /// A line's box. With a line height (a multiple of the largest size on the line) a line of the first family is
        /// exactly that high, as in CSS; a line whose glyphs' ink reaches above the first family's ascent or below its
        /// descent (stacked Myanmar or Tibetan, a tall emoji) grows by that much, so it never overlaps the next. Fonts'
        /// own ascents are not used for that: Noto Sans Arabic's would double every Arabic line. Without a line height,
        /// each line takes the largest ascent, descent and line gap of its fonts. Returns the ascent above the baseline,
        /// the height and the space above the ascent.
        /// </summary>
        private (float Ascent, float Height, float Leading) LineBox(int start, int end, ShapedRun? ellipsis)
        {
            var runs = _runs.Where(r => r.Start < end && r.End > start).Append(ellipsis).OfType<ShapedRun>().ToList();
            if (runs.Count == 0)
            {
                // An empty line (two breaks in a row) is as high as the text around it.
                var at = Math.Clamp(start, 0, Math.Max(0, _cps.Length - 1));
                var style = StyleAt(at);
                var face = _cps.Length > 0 ? _faces[at] : _primary;
                runs.Add(new ShapedRun(face, 0, start, start, 0, _spanOf.Length > 0 ? _spanOf[at] : 0, style.Size, ShapingFaces.Resolve(face, style.Weight, style.Variations)));
            }
            var size = runs.Max(r => r.Size);
            if (_style.LineHeight is not { } lineHeight)
            {
                float ascent = 0, descent = 0, gap = 0;
                foreach (var run in runs)
                {
                    var font = _shaping.Get(run.Face, run.Variations);
                    var scale = run.Size / font.UnitsPerEm;
                    ascent = Math.Max(ascent, font.Ascender * scale);
                    descent = Math.Max(descent, font.Descender * scale);
                    gap = Math.Max(gap, font.LineGap * scale);
                }
                return (ascent, ascent + descent + gap, gap / 2);
            }
            var primary = _shaping.Get(_primary, ShapingFaces.Resolve(_primary, _spans[0].Style.Weight, _spans[0].Style.Variations));
            var primaryScale = size / primary.UnitsPerEm;
            float primaryAscent = primary.Ascender * primaryScale, primaryDescent = primary.Descender * primaryScale;
            float inkAscent = 0, inkDescent = 0;
            foreach (var run in runs)
            {
                var font = _shaping.Get(run.Face, run.Variations);
                var scale = run.Size / font.UnitsPerEm;
                for (var g = 0; g < run.Glyphs.Length; g++)
                {
                    if (run != ellipsis && (run.Clusters[g] < start || run.Clusters[g] >= end || run.Hidden[g]))
                    {
                        continue;
                    }
                    if (font.Font.TryGetGlyphExtents(run.Glyphs[g], out var extents))
                    {
                        inkAscent = Math.Max(inkAscent, (extents.YBearing * scale) + run.YOffsets[g]);
                        inkDescent = Math.Max(inkDescent, -(((extents.YBearing + extents.Height) * scale) + run.YOffsets[g]));
                    }
                }
            }
            var above = Math.Max(0, inkAscent - primaryAscent);
            var below = Math.Max(0, inkDescent - primaryDescent);
            var height = (lineHeight * size) + above + below;
            return (primaryAscent + above, height, ((lineHeight * size) - (primaryAscent + primaryDescent)) / 2);
        }
    }

    /// <summary>Widths of code point ranges from the shaped advances, with or without trailing spaces and breaks.</summary>
    private sealed class Measure(int[] cps, float[] prefix)
    {
        internal float Width(int start, int end) => prefix[end] - prefix[start];

        internal float Trimmed(int start, int end) => Width(start, TrimmedEnd(start, end));

        internal int TrimmedEnd(int start, int end)
        {
            while (end > start && IsSpace(cps[end - 1]))
            {
                end--;
            }
            return end;
        }
    }
}

/// <summary>One run as HarfBuzz shaped it: glyphs in visual order, each with its cluster (a code point index in the paragraph) and pixel advance and offsets.</summary>
internal sealed class ShapedRun(FontFace face, int level, int start, int end, int count, int span, float size, IReadOnlyList<FontVariation> variations)
{
    internal FontFace Face { get; } = face;

    internal int Level { get; } = level;

    internal int Start { get; } = start;

    internal int End { get; } = end;

    /// <summary>The index of the span the run's text comes from.</summary>
    internal int Span { get; } = span;

    internal float Size { get; } = size;

    internal IReadOnlyList<FontVariation> Variations { get; } = variations;

    internal uint[] Glyphs { get; } = new uint[count];

    internal int[] Clusters { get; } = new int[count];

    internal float[] Advances { get; } = new float[count];

    internal float[] XOffsets { get; } = new float[count];

    internal float[] YOffsets { get; } = new float[count];

    /// <summary>Glyphs of controls (line breaks, tabs): not drawn, no advance.</summary>
    internal bool[] Hidden { get; } = new bool[count];
}
