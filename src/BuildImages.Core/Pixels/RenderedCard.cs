
namespace BuildImages.Core.Pixels;

/// <summary>Pixels of a drawn card: premultiplied BGRA rows, as Skia drew them.</summary>
public sealed class RenderedCard
{
    internal RenderedCard(byte[] bgra, int width, int height, int stride)
    {
        Bgra = bgra;
        Width = width;
        Height = height;
        Stride = stride;
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }

    /// <summary>Premultiplied B,G,R,A bytes, <see cref="Stride"/> bytes per row (at least Stride × Height bytes).</summary>
    public byte[] Bgra { get; }

    public bool IsOpaque => PixelConverter.IsOpaque(Bgra, Width, Height, Stride);

    /// <summary>Straight-alpha RGBA, 4 bytes per pixel, no padding.</summary>
    public byte[] ToRgba() => PixelConverter.FromPremultipliedBgra(Bgra, Width, Height, Stride, 4);

    /// <summary>RGB, 3 bytes per pixel (alpha dropped; meaningful for opaque cards).</summary>
    public byte[] ToRgb() => PixelConverter.FromPremultipliedBgra(Bgra, Width, Height, Stride, 3);

    /// <summary>One pixel as straight (R, G, B, A).</summary>
    public (byte R, byte G, byte B, byte A) PixelAt(int x, int y)
    {
        var i = (y * Stride) + (x * 4);
        var a = Bgra[i + 3];
        return (PixelConverter.Unpremultiply(Bgra[i + 2], a), PixelConverter.Unpremultiply(Bgra[i + 1], a), PixelConverter.Unpremultiply(Bgra[i], a), a);
    }
}
