namespace BuildImages.Core.Markup;

/// <summary>A straight (not premultiplied) sRGB colour with components in 0..1.</summary>
public readonly record struct Rgba(double R, double G, double B, double A)
{
    public static Rgba Transparent => new(0, 0, 0, 0);
    public static Rgba Black => new(0, 0, 0, 1);

    public Rgba WithAlpha(double factor) => this with { A = A * factor };

    /// <summary>#rrggbb (alpha goes separately).</summary>
    public string ToHex() => $"#{To8(R):x2}{To8(G):x2}{To8(B):x2}";

    private static int To8(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
