using System.Collections.Concurrent;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;
using SkiaSharp;

namespace BuildImages.Core.Drawing;

/// <summary>
/// The portable text stack for one engine (issue 25): its font set (the project's font folders, then the machine's),
/// the HarfBuzz fonts to shape with, and the Skia typefaces to draw with, all shared by every thread. Text elements
/// are set with <see cref="ParagraphLayout"/> and drawn glyph run by glyph run.
/// </summary>
internal sealed class SkiaText : IDisposable
{
    private readonly ConcurrentDictionary<(string File, int Index, string Variations), Lazy<SKTypeface>> _typefaces = new();
    private readonly ConcurrentDictionary<(string File, int Index), bool> _drawsColour = new();

    internal SkiaText(FontSet fonts)
    {
        Fonts = fonts;
    }

    internal FontSet Fonts { get; }

    internal ShapingFaces Shaping { get; } = new();

    /// <summary>A text element set in <paramref name="style"/> at <paramref name="size"/>, wrapped at <paramref name="width"/> (null: not wrapped), cut at <paramref name="maxLines"/> and <paramref name="maxHeight"/>.</summary>
    internal TextBlock Set(TextNode node, TextStyle style, double size, double? width, int? maxLines, double? maxHeight)
    {
        var spans = InlineSpans.Build(node.Inlines, style, size);
        var paragraph = ParagraphLayout.Layout(spans.Spans, new ParagraphStyle
        {
            LineHeight = (float)(style.LineHeight ?? 1.2),
            // Each paragraph from its first strong character (UAX #9's P2–P3, as pango set it before issue 25): a
            // Hebrew line in a left-to-right card starts at the right; `dir` mirrors rows, not the text's own order.
            Direction = null,
            Align = style.Align ?? TextAlign.Start,
            MaxWidth = width is { } w ? (float)w : null,
            MaxLines = maxLines,
            MaxHeight = maxHeight is { } h ? (float)h : null,
            KeepAll = style.KeepAll ?? false,
        }, Fonts, Shaping);
        return new TextBlock(paragraph, spans.Decorations, size, string.Concat(spans.Spans.Select(t => t.Text)));
    }

    /// <summary>Draws a paragraph with its top left at (x, y): span backgrounds, glyphs in their span's colour, then underlines and strike-throughs.</summary>
    internal void Draw(SKCanvas canvas, LaidOutParagraph paragraph, IReadOnlyList<SpanDecoration> decorations, double x, double y, SKColor? only = null, SKMaskFilter? blur = null)
    {
        foreach (var line in paragraph.Lines)
        {
            foreach (var run in line.Runs)
            {
                var decoration = decorations[run.Tag];
                using var paint = new SKPaint { IsAntialias = true, Color = only ?? CardPainter.Color(decoration.Color), MaskFilter = blur };
                var left = run.X.Min() + (float)x;
                var right = Right(run, line) + (float)x;
                if (decoration.Background is { } background && only is null)
                {
                    using var fill = new SKPaint { Color = CardPainter.Color(background) };
                    canvas.DrawRect(new SKRect(left, (float)y + line.Top, right, (float)y + line.Top + line.Height), fill);
                }
                using var font = new SKFont(Typeface(run), run.Size) { Subpixel = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };
                using var builder = new SKTextBlobBuilder();
                var buffer = builder.AllocatePositionedRun(font, run.Glyphs.Length);
                var glyphs = buffer.Glyphs;
                var positions = buffer.Positions;
                for (var i = 0; i < run.Glyphs.Length; i++)
                {
                    glyphs[i] = (ushort)run.Glyphs[i];
                    positions[i] = new SKPoint((float)x + run.X[i], (float)y + run.Y[i]);
                }
                using (var blob = builder.Build())
                {
                    if (blob is not null)
                    {
                        canvas.DrawText(blob, 0, 0, paint);
                    }
                }
                var metrics = font.Metrics;
                var baseline = (float)y + line.Baseline;
                var thickness = Math.Max(1f, metrics.UnderlineThickness ?? (run.Size / 14));
                if (decoration.Underline)
                {
                    var at = baseline + (metrics.UnderlinePosition ?? (run.Size / 10));
                    canvas.DrawRect(new SKRect(left, at, right, at + thickness), paint);
                }
                if (decoration.Strikethrough)
                {
                    var at = baseline + (metrics.StrikeoutPosition ?? (-run.Size * 0.3f));
                    canvas.DrawRect(new SKRect(left, at, right, at + (metrics.StrikeoutThickness ?? thickness)), paint);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var typeface in _typefaces.Values.Where(t => t.IsValueCreated))
        {
            typeface.Value.Dispose();
        }
        Shaping.Dispose();
    }

    /// <summary>Where a run's last glyph ends: the next run's start on the line, or the line's end.</summary>
    private static float Right(GlyphRun run, LaidOutLine line)
    {
        var index = -1;
        for (var i = 0; i < line.Runs.Count; i++)
        {
            index = ReferenceEquals(line.Runs[i], run) ? i : index;
        }
        return index + 1 < line.Runs.Count ? line.Runs[index + 1].X.Min() : Math.Max(run.X.Max() + (run.Size / 2), line.Runs[0].X.Min() + line.Width);
    }

    /// <summary>The Skia typeface of a run's face at its axes: from the file, or the unpacked bytes of a web font.</summary>
    private SKTypeface Typeface(GlyphRun run) => Typeface(run.Face, run.Variations);

    private SKTypeface Typeface(FontFace face, IReadOnlyList<FontVariation> variations)
    {
        var key = (face.File, face.Index, string.Join(',', variations.Select(v => $"{v.Tag}={v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        return _typefaces.GetOrAdd(key, _ => new Lazy<SKTypeface>(() =>
        {
            // A plain font is mapped from its file; a web font is unpacked first (Skia's FreeType reads neither container).
            var typeface = (FontFileReader.UnpackWebFont(face.File) is { } sfnt
                ? SKTypeface.FromData(SKData.CreateCopy(sfnt), face.Index)
                : SKTypeface.FromFile(face.File, face.Index))
                ?? throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font '{face.File}' cannot be drawn: Skia's FreeType refuses face {face.Index} of it; remove it from the font folder or replace it", face.File);
            if (variations.Count == 0)
            {
                return typeface;
            }
            var tagged = variations.Select(v => new SKFontVariationPositionCoordinate { Axis = Tag(v.Tag), Value = v.Value }).ToArray();
            var varied = typeface.Clone(tagged);
            typeface.Dispose();
            return varied;
        })).Value;
    }

    /// <summary>
    /// Whether Skia here draws a colour face's glyphs in colour, found once per face by drawing one of its emoji at
    /// 48 px and looking at the pixels. Skia on Linux and macOS rasterises with its own FreeType (COLRv0 and v1, CBDT,
    /// sbix); on Windows through DirectWrite, which draws COLRv1 only from Windows 11 (Wine's not at all): there the
    /// glyphs come out blank, and the card says so (BI0403) instead of silently drawing nothing.
    /// </summary>
    internal bool DrawsColour(FontFace face) => _drawsColour.GetOrAdd((face.File, face.Index), _ => ProbeColour(face));

    private bool ProbeColour(FontFace face)
    {
        // A face that maps none of these is not an emoji font: nothing to say about it.
        int[] candidates = [0x1F600, 0x1F680, 0x2764, 0x1F44D, 0x1F1EB];
        if (candidates.FirstOrDefault(face.Coverage.Contains) is not (> 0 and var codePoint))
        {
            return true;
        }
        using var font = new SKFont(Typeface(face, []), 48) { Edging = SKFontEdging.Antialias };
        var glyph = font.GetGlyph(codePoint);
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var builder = new SKTextBlobBuilder())
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.Transparent);
            var run = builder.AllocatePositionedRun(font, 1);
            run.Glyphs[0] = glyph;
            run.Positions[0] = new SKPoint(4, 52);
            using var blob = builder.Build();
            if (blob is not null)
            {
                canvas.DrawText(blob, 0, 0, paint);
            }
        }
        // In colour: some pixel is painted and not grey (a glyph drawn in the paint's black would be grey).
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            if (pixels[i + 3] > 0 && (pixels[i] != pixels[i + 1] || pixels[i + 1] != pixels[i + 2]))
            {
                return true;
            }
        }
        return false;
    }

    private static uint Tag(string tag) => ((uint)tag[0] << 24) | ((uint)tag[1] << 16) | ((uint)tag[2] << 8) | tag[3];

}
