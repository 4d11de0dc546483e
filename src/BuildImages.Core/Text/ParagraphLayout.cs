using System.Globalization;
using System.Text;
using BuildImages.Core.Markup;
using HarfBuzzSharp;

namespace BuildImages.Core.Text;

/// <summary>
/// Sets a paragraph in lines with BuildImages' own text stack, no pango: grapheme clusters (.NET's UAX #29), a face per
/// cluster from the font set (never split across fonts), levels by UAX #9 (<see cref="BidiParagraph"/>), scripts by UAX
/// #24, runs shaped by HarfBuzz, lines broken by UAX #14 (<see cref="LineBreaker"/>; a word wider than the line breaks
/// between clusters), runs reordered per line (L1, L2), each line as high as its own fonts need, and at
/// <see cref="ParagraphStyle.MaxLines"/> the last line cut at a cluster and ended with an ellipsis.
/// </summary>
internal static class ParagraphLayout
{
    private const int Ellipsis = 0x2026;

    /// <summary>Lays <paramref name="text"/> out; the set must hold at least one face.</summary>
    internal static LaidOutParagraph Layout(string text, ParagraphStyle style, FontSet fonts, ShapingFaces shaping)
    {
        var primary = style.Families.Select(f => fonts.Match(f, style.Weight, style.Slant)).FirstOrDefault(f => f is not null)
            ?? fonts.Faces.FirstOrDefault()
            ?? throw new ArgumentException("the font set has no faces", nameof(fonts));
        var (cps, boundary) = Decode(text);
        var n = cps.Length;
        var missing = new List<int>();
        var faces = FacesOf(cps, boundary, style, fonts, primary, missing);
        var bidi = BidiParagraph.Of(cps, style.Direction);
        var levels = Fill(bidi.LineLevels(0, n), bidi.ParagraphLevel);
        var scripts = ScriptData.Resolve(cps);
        var runs = Shape(cps, boundary, faces, levels, scripts, style, shaping);
        var advance = new float[n + 1];
        foreach (var run in runs)
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
        var measure = new Measure(cps, advance);
        var lines = BreakLines(cps, boundary, measure, style);
        var ellipsized = false;
        ShapedRun? ellipsis = null;
        if (style.MaxLines is { } maxLines && lines.Count > Math.Max(1, maxLines))
        {
            lines.RemoveRange(Math.Max(1, maxLines), lines.Count - Math.Max(1, maxLines));
            ellipsized = true;
            var (start, end) = lines[^1];
            var lastFace = end > start ? faces[end - 1] : primary;
            var ellipsisFace = fonts.ForCluster([Ellipsis], [.. style.Families], style.Weight, style.Slant) ?? lastFace;
            ellipsis = ShapeRun([Ellipsis], 0, 1, ellipsisFace, bidi.ParagraphLevel, "Zyyy", style, shaping, offset: end);
            var room = (style.MaxWidth ?? float.PositiveInfinity) - ellipsis.Advances.Sum();
            var cut = end;
            while (cut > start && measure.Trimmed(start, cut) > room)
            {
                cut--;
                while (cut > start && !boundary[cut])
                {
                    cut--;
                }
            }
            lines[^1] = (start, cut);
        }
        return Place(cps, lines, runs, ellipsis, bidi, measure, faces, primary, style, shaping, ellipsized, missing);
    }

    /// <summary>Code points (unpaired surrogates as U+FFFD) and where grapheme clusters start (index n is a boundary).</summary>
    private static (int[] CodePoints, bool[] Boundary) Decode(string text)
    {
        var cps = new List<int>(text.Length);
        var at = new int[text.Length + 1];
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
            at[i] = cps.Count;
            cps.Add(rune.Value);
            i += Math.Max(1, length);
        }
        var boundary = new bool[cps.Count + 1];
        for (var i = 0; i < text.Length;)
        {
            boundary[at[i]] = true;
            i += Math.Max(1, StringInfo.GetNextTextElementLength(text, i));
        }
        boundary[cps.Count] = true;
        return ([.. cps], boundary);
    }

    /// <summary>The face of each code point: one per grapheme cluster; what no face covers is reported.</summary>
    private static FontFace[] FacesOf(int[] cps, bool[] boundary, ParagraphStyle style, FontSet fonts, FontFace primary, List<int> missing)
    {
        var faces = new FontFace[cps.Length];
        var previous = primary;
        var seen = new HashSet<int>();
        for (var start = 0; start < cps.Length;)
        {
            var end = start + 1;
            while (!boundary[end])
            {
                end++;
            }
            var cluster = cps.AsSpan(start, end - start);
            FontFace face;
            if (IsInvisible(cluster))
            {
                face = previous;
            }
            else if (fonts.ForCluster(cluster, style.Families, style.Weight, style.Slant) is { } found)
            {
                face = found;
            }
            else
            {
                // No face has the whole cluster: the one that has its base character (only the rest is missing), else the face before it.
                face = fonts.ForCluster(cluster[..1], style.Families, style.Weight, style.Slant) ?? previous;
                foreach (var c in cluster)
                {
                    if (!IsInvisible([c]) && !face.Coverage.Contains(c) && seen.Add(c))
                    {
                        missing.Add(c);
                    }
                }
            }
            faces.AsSpan(start, end - start).Fill(face);
            previous = face;
            start = end;
        }
        return faces;
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
    /// Splits the paragraph where the face or level changes (the face only ever between clusters) or a character of
    /// another script comes (spaces, digits and punctuation stay in the run they are in), and shapes each run.
    /// </summary>
    private static List<ShapedRun> Shape(int[] cps, bool[] boundary, FontFace[] faces, sbyte[] levels, string[] scripts, ParagraphStyle style, ShapingFaces shaping)
    {
        var runs = new List<ShapedRun>();
        for (var start = 0; start < cps.Length;)
        {
            var end = start + 1;
            var script = IsOwnScript(cps[start]) ? scripts[start] : null;
            while (end < cps.Length && faces[end] == faces[start] && levels[end] == levels[start])
            {
                if (IsOwnScript(cps[end]))
                {
                    if (script is not null && scripts[end] != script)
                    {
                        break;
                    }
                    script ??= scripts[end];
                }
                end++;
            }
            var run = ShapeRun(cps, start, end - start, faces[start], levels[start], script ?? scripts[start], style, shaping, offset: 0);
            AddLetterSpacing(run, boundary, style.LetterSpacing);
            runs.Add(run);
            start = end;
        }
        return runs;
    }

    /// <summary>Shapes code points [start, start + length) of <paramref name="cps"/> (the rest is context for joining); clusters are indexes in <paramref name="cps"/> plus <paramref name="offset"/>.</summary>
    private static ShapedRun ShapeRun(int[] cps, int start, int length, FontFace face, int level, string script, ParagraphStyle style, ShapingFaces shaping, int offset)
    {
        var font = shaping.Get(face, style.Weight);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddCodepoints(cps, start, length);
        buffer.Direction = (level & 1) == 1 ? Direction.RightToLeft : Direction.LeftToRight;
        buffer.Script = Script.TryParse(script, out var parsed) ? parsed : Script.Common;
        // A fixed language, never the machine's locale (HarfBuzz's default): the same text shapes the same everywhere.
        buffer.Language = new Language(style.Language ?? "und");
        buffer.ClusterLevel = ClusterLevel.MonotoneGraphemes;
        Feature[] features = style.LetterSpacing != 0 ? [new Feature(Tag.Parse("liga"), 0), new Feature(Tag.Parse("clig"), 0)] : [];
        font.Font.Shape(buffer, features);
        var infos = buffer.GetGlyphInfoSpan();
        var positions = buffer.GetGlyphPositionSpan();
        var scale = style.Size / font.UnitsPerEm;
        var run = new ShapedRun(face, level, start + offset, start + length + offset, infos.Length);
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
    private static List<(int Start, int End)> BreakLines(int[] cps, bool[] boundary, Measure measure, ParagraphStyle style)
    {
        var opportunities = LineBreaker.Opportunities(cps, style.KeepAll);
        var max = style.MaxWidth ?? float.PositiveInfinity;
        var lines = new List<(int, int)>();
        for (var start = 0; start < cps.Length;)
        {
            var end = -1;
            var firstOpportunity = -1;
            for (var p = start + 1; p <= cps.Length; p++)
            {
                if (opportunities[p] == LineBreakKind.None)
                {
                    continue;
                }
                firstOpportunity = firstOpportunity < 0 ? p : firstOpportunity;
                if (measure.Trimmed(start, p) > max + 0.01f)
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
                while (!boundary[end])
                {
                    end++;
                }
                for (var g = end + 1; g <= firstOpportunity; g++)
                {
                    if (boundary[g])
                    {
                        if (measure.Trimmed(start, g) > max + 0.01f)
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

    private static LaidOutParagraph Place(
        int[] cps, List<(int Start, int End)> lineRanges, List<ShapedRun> runs, ShapedRun? ellipsis, BidiParagraph bidi, Measure measure,
        FontFace[] faces, FontFace primary, ParagraphStyle style, ShapingFaces shaping, bool ellipsized, List<int> missing)
    {
        var rtl = bidi.ParagraphLevel == 1;
        var ellipsisWidth = ellipsis?.Advances.Sum() ?? 0;
        var widths = lineRanges.Select((l, i) => measure.Trimmed(l.Start, l.End) + (ellipsis is not null && i == lineRanges.Count - 1 ? ellipsisWidth : 0)).ToArray();
        var available = style.MaxWidth ?? (widths.Length > 0 ? widths.Max() : 0);
        var lines = new List<LaidOutLine>(lineRanges.Count);
        var top = 0f;
        for (var li = 0; li < lineRanges.Count; li++)
        {
            var (start, end) = lineRanges[li];
            var isLast = li == lineRanges.Count - 1;
            var pieces = Pieces(runs, bidi, start, end);
            if (ellipsis is not null && isLast)
            {
                pieces.Add((ellipsis, ellipsis.Start, ellipsis.End, (sbyte)bidi.ParagraphLevel));
            }
            // L2 over the pieces: each piece is one level.
            var order = BidiParagraph.VisualOrder([.. pieces.Select(p => p.Level)]);
            var (ascent, descent, gap) = Metrics(pieces.Count > 0 ? pieces.Select(p => p.Run.Face) : [end > start ? faces[start] : primary], style, shaping);
            var content = ascent + descent;
            var height = style.LineHeight is { } lineHeight ? Math.Max(lineHeight * style.Size, content) : content + gap;
            var baseline = top + ((height - content) / 2) + ascent;
            var width = widths[li];
            var trailing = measure.Width(start, end) - measure.Trimmed(start, end);
            var endsParagraph = isLast || (end > 0 && IsControl(cps[end - 1]));
            var (x, spaceExtra) = Offset(style.Align, rtl, available, width, trailing, endsParagraph, cps, start, measure.TrimmedEnd(start, end));
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
                    x += run.Advances[g] + (spaceExtra != 0 && run != ellipsis && cps[cluster] == 0x20 && cluster < measure.TrimmedEnd(start, end) ? spaceExtra : 0);
                }
                if (glyphs.Count > 0)
                {
                    placed.Add(new GlyphRun(run.Face, style.Size, [.. glyphs], [.. xs], [.. ys], [.. clusters], (run.Level & 1) == 1, style.Weight));
                }
            }
            lines.Add(new LaidOutLine(placed, start, end, top, height, baseline, width));
            top += height;
        }
        return new LaidOutParagraph(lines, widths.Length > 0 ? widths.Max() : 0, top, ellipsized, missing);
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

    /// <summary>A line's pieces in logical order: each run cut to the line and split where the line's levels (after L1) change.</summary>
    private static List<(ShapedRun Run, int From, int To, sbyte Level)> Pieces(List<ShapedRun> runs, BidiParagraph bidi, int start, int end)
    {
        var pieces = new List<(ShapedRun, int, int, sbyte)>();
        if (end <= start)
        {
            return pieces;
        }
        var levels = Fill(bidi.LineLevels(start, end), bidi.ParagraphLevel);
        foreach (var run in runs)
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

    /// <summary>The line's ascent, descent and gap in pixels: the largest of the faces on it.</summary>
    private static (float Ascent, float Descent, float Gap) Metrics(IEnumerable<FontFace> faces, ParagraphStyle style, ShapingFaces shaping)
    {
        float ascent = 0, descent = 0, gap = 0;
        foreach (var face in faces.Distinct())
        {
            var font = shaping.Get(face, style.Weight);
            var scale = style.Size / font.UnitsPerEm;
            ascent = Math.Max(ascent, font.Ascender * scale);
            descent = Math.Max(descent, font.Descender * scale);
            gap = Math.Max(gap, font.LineGap * scale);
        }
        return (ascent, descent, gap);
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
internal sealed class ShapedRun(FontFace face, int level, int start, int end, int count)
{
    internal FontFace Face { get; } = face;

    internal int Level { get; } = level;

    internal int Start { get; } = start;

    internal int End { get; } = end;

    internal uint[] Glyphs { get; } = new uint[count];

    internal int[] Clusters { get; } = new int[count];

    internal float[] Advances { get; } = new float[count];

    internal float[] XOffsets { get; } = new float[count];

    internal float[] YOffsets { get; } = new float[count];

    /// <summary>Glyphs of controls (line breaks, tabs): not drawn, no advance.</summary>
    internal bool[] Hidden { get; } = new bool[count];
}
