namespace BuildImages.Core.Markup;

/// <summary>A straight (not premultiplied) sRGB colour with components in 0..1.</summary>
public readonly record struct Rgba(double R, double G, double B, double A)
{
    public static Rgba Transparent => new(0, 0, 0, 0);
    public static Rgba Black => new(0, 0, 0, 1);

    public Rgba WithAlpha(double factor) => this with { A = A * factor };
}
