using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using BuildImages.Core.Diagnostics;
using HarfBuzzSharp;

namespace BuildImages.Core.Text;

/// <summary>
/// HarfBuzz fonts for the faces of a font set, made once and shared by every thread (a HarfBuzz font is immutable once
/// made, and shaping with it is thread-safe): the file mapped or, for WOFF and WOFF2, unpacked into native memory;
/// a variable face gets one font per set of axis values asked for.
/// </summary>
internal sealed class ShapingFaces : IDisposable
{
    private readonly ConcurrentDictionary<(string File, int Index, string Variations), Lazy<ShapingFace>> _fonts = new();
    private readonly ConcurrentDictionary<string, Lazy<Blob>> _blobs = new(StringComparer.Ordinal);

    /// <summary>
    /// The axes <paramref name="face"/> is drawn at for a span: <paramref name="variations"/> (<c>wght=650,opsz=32</c>)
    /// on the axes the face has, clamped to their ranges, and its <c>wght</c> from <paramref name="weight"/> unless the
    /// variations set it; empty for a static face.
    /// </summary>
    internal static FontVariation[] Resolve(FontFace face, int weight, string? variations)
    {
        if (face.Axes.Count == 0)
        {
            return [];
        }
        var values = new Dictionary<string, float>(StringComparer.Ordinal);
        if (face.Axes.Any(a => a.Tag == "wght"))
        {
            values["wght"] = weight;
        }
        foreach (var setting in (variations ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Length == 4 && float.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }
        return [.. face.Axes.Where(a => values.ContainsKey(a.Tag)).Select(a => new FontVariation(a.Tag, Math.Clamp(values[a.Tag], a.Min, a.Max)))];
    }

    /// <summary>The HarfBuzz font of <paramref name="face"/> at <paramref name="variations"/> (from <see cref="Resolve"/>).</summary>
    internal ShapingFace Get(FontFace face, IReadOnlyList<FontVariation> variations)
    {
        var key = (face.File, face.Index, string.Join(',', variations.Select(v => $"{v.Tag}={v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        return _fonts.GetOrAdd(key, _ => new Lazy<ShapingFace>(() => Make(face, variations))).Value;
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values.Where(f => f.IsValueCreated))
        {
            font.Value.Dispose();
        }
        foreach (var blob in _blobs.Values.Where(b => b.IsValueCreated))
        {
            blob.Value.Dispose();
        }
    }

    private ShapingFace Make(FontFace face, IReadOnlyList<FontVariation> variations)
    {
        var blob = _blobs.GetOrAdd(face.File, file => new Lazy<Blob>(() => Load(file))).Value;
        var hbFace = new Face(blob, face.Index);
        if (hbFace.GlyphCount == 0)
        {
            // HarfBuzz's sanitiser dropped what it could not trust; shaping would give every character glyph 0.
            hbFace.Dispose();
            throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font '{face.File}' cannot be shaped: HarfBuzz finds no glyphs in face {face.Index} of it; remove it from the font folder or replace it", face.File);
        }
        var upem = hbFace.UnitsPerEm;
        var font = new HarfBuzzSharp.Font(hbFace);
        font.SetScale(upem, upem);
        if (variations.Count > 0)
        {
            font.SetVariations([.. variations.Select(v => new Variation { Tag = Tag.Parse(v.Tag), Value = v.Value })]);
        }
        font.TryGetHorizontalFontExtents(out var extents);
        return new ShapingFace(face, hbFace, font, upem, extents.Ascender, -extents.Descender, extents.LineGap);
    }

    /// <summary>The font's bytes as HarfBuzz reads them: a plain font mapped from its file, a web font unpacked into native memory it frees.</summary>
    private static unsafe Blob Load(string file)
    {
        if (FontFileReader.UnpackWebFont(file) is not { } sfnt)
        {
            return Blob.FromFile(file);
        }
        var memory = NativeMemory.Alloc((nuint)sfnt.Length);
        sfnt.CopyTo(new Span<byte>(memory, sfnt.Length));
        return new Blob((IntPtr)memory, sfnt.Length, MemoryMode.ReadOnly, () => NativeMemory.Free(memory));
    }
}

/// <summary>One face ready to shape with: the HarfBuzz font in font units, and the face's line metrics in font units.</summary>
internal sealed record ShapingFace(FontFace Face, Face HarfBuzzFace, HarfBuzzSharp.Font Font, int UnitsPerEm, int Ascender, int Descender, int LineGap) : IDisposable
{
    public void Dispose()
    {
        Font.Dispose();
        HarfBuzzFace.Dispose();
    }
}
