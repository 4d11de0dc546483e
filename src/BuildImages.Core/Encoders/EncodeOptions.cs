namespace BuildImages.Core.Encoders;

/// <summary>
/// How one variant is encoded. Quality 1–100 (ignored for PNG); metadata is always stripped. <see cref="Effort"/>
/// (WebP 0–6, AVIF 0–9) overrides what <see cref="Profile"/> picks.
/// </summary>
public sealed record EncodeOptions(ImageFormat Format, int Quality = 80, int? Effort = null, EncoderProfile Profile = EncoderProfile.Balanced)
{
    public string Extension => Format switch
    {
        ImageFormat.WebP => ".webp",
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.Png => ".png",
        _ => ".avif",
    };

    public string MimeType => Format switch
    {
        ImageFormat.WebP => "image/webp",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        _ => "image/avif",
    };
}
