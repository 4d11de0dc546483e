using System.Globalization;

namespace BuildImages.Core.Imaging;

/// <summary>How a photo variant is sized and cropped: a width, a longest side, or both (the smaller wins); an optional aspect ratio, cropped by attention, entropy, centre or the item's focal point.</summary>
public sealed record PhotoShape(int? Width, int? MaxSide, double? Aspect, PhotoCrop Crop, bool Subsample = true)
{
    /// <summary>What decides the pixels besides the encoder, as it goes into the variant's key.</summary>
    public string Describe() => string.Join(' ', new[]
    {
        Width is { } w ? $"w{w}" : null,
        MaxSide is { } m ? $"max{m}" : null,
        Aspect is { } a ? string.Create(CultureInfo.InvariantCulture, $"aspect {a:0.####} {Crop.ToString().ToLowerInvariant()}") : null,
        Subsample ? null : "444",
    }.Where(p => p is not null));

    /// <summary>The output size for an upright source: never larger than the source (no upscaling), never zero.</summary>
    public (int Width, int Height) SizeFor(int sourceWidth, int sourceHeight)
    {
        // The aspect crop is taken from the source first, then scaled.
        double w = sourceWidth, h = sourceHeight;
        if (Aspect is { } aspect)
        {
            if (w / h > aspect)
            {
                w = h * aspect;
            }
            else
            {
                h = w / aspect;
            }
        }
        var scale = 1.0;
        if (Width is { } width)
        {
            scale = Math.Min(scale, width / w);
        }
        if (MaxSide is { } side)
        {
            scale = Math.Min(scale, side / Math.Max(w, h));
        }
        return (Math.Max(1, (int)Math.Round(w * scale)), Math.Max(1, (int)Math.Round(h * scale)));
    }
}

/// <summary>How an aspect-ratio variant chooses what to keep.</summary>
public enum PhotoCrop
{
    /// <summary>libvips smartcrop: the region most likely to hold attention (skin, saturated colour, edges).</summary>
    Attention,

    /// <summary>libvips smartcrop: the region with the most detail.</summary>
    Entropy,

    Centre,

    /// <summary>The item's focal point (fractions of width and height), else the centre.</summary>
    Focal,
}
