using NetVips;

namespace BuildImages.Tests.Shared;

/// <summary>PNGs with an alpha channel in each form a photo source takes (linked into every test project that needs one).</summary>
public static class AlphaPngs
{
    public enum Kind { Rgba8Opaque, Rgba8Translucent, Rgba16Opaque, Rgba16Translucent, PaletteTrns }

    /// <summary>A 1200 x 1800 orange PNG; translucent kinds have a right half at alpha 64.</summary>
    internal static byte[] Make(Kind kind, int width = 1200, int height = 1800)
    {
        var translucent = Translucent(kind);
        using var rgb = Image.Black(width, height, bands: 3).NewFromImage(230, 120, 20);
        using var opaque = Image.Black(width, height).NewFromImage(255);
        using var faint = Image.Black(width / 2, height).NewFromImage(64);
        using var alpha = translucent ? opaque.Insert(faint, width / 2, 0) : opaque.Copy();
        using var joined = rgb.Bandjoin(alpha);
        using var rgba = joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        if (kind is Kind.Rgba16Opaque or Kind.Rgba16Translucent)
        {
            using var wide = (rgba.Cast(Enums.BandFormat.Ushort) * 257).Cast(Enums.BandFormat.Ushort);
            using var sixteen = wide.Copy(interpretation: Enums.Interpretation.Rgb16);
            return sixteen.PngsaveBuffer(bitdepth: 16);
        }
        return kind == Kind.PaletteTrns ? rgba.PngsaveBuffer(palette: true) : rgba.PngsaveBuffer();
    }

    internal static bool Translucent(Kind kind) => kind is Kind.Rgba8Translucent or Kind.Rgba16Translucent or Kind.PaletteTrns;
}
