using System.Buffers;
using BuildImages.Core.Drawing;
using BuildImages.Core.Native;
using BuildImages.Core.Rendering;
using NetVips;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Encoders;

/// <summary>Encodes drawn cards with libvips: sRGB, no metadata, alpha kept only where the format and the pixels need it.</summary>
public static class VariantEncoder
{
    public static byte[] Encode(RenderedCard card, EncodeOptions options)
    {
        if (options.Quality is < 1 or > 100)
        {
            // libvips only warns and ignores out-of-range values; refuse them here instead.
            throw new ArgumentOutOfRangeException(nameof(options), $"quality must be 1–100, not {options.Quality}");
        }
        return Encode(card, options.Format, EncoderSettings.For(options));
    }

    /// <summary>Encodes with the libvips save options given (the encoder-settings bench tries others than the profiles').</summary>
    internal static byte[] Encode(RenderedCard card, ImageFormat format, IReadOnlyList<(string Name, object Value)> settings)
    {
        NativeStack.EnsureLoaded();
        var keepAlpha = format != ImageFormat.Jpeg && !card.IsOpaque;
        var bands = keepAlpha ? 4 : 3;
        var length = card.Width * card.Height * bands;
        // A batch converts several multi-megabyte frames per card: a pooled buffer keeps them off the large object
        // heap. libvips takes its own copy, so nothing native ever points into managed memory.
        var pixels = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            PixelConverter.FromPremultipliedBgra(card.Bgra, card.Width, card.Height, card.Stride, bands, pixels);
            using var image = FromPixels(pixels.AsSpan(0, length), card.Width, card.Height, bands);
            return Save(image, format, settings);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>Encodes a libvips image (8-bit sRGB, 1–4 bands) with the save options given.</summary>
    internal static byte[] Save(Image image, ImageFormat format, IReadOnlyList<(string Name, object Value)> settings)
    {
        var options = new VOption();
        foreach (var (name, value) in settings)
        {
            options.Add(name, EnumArgument(name, value));
        }
        var bytes = (byte[])Operation.Call(SaverOf(format), options, image);
        return format == ImageFormat.WebP ? WebPMetadata.Strip(bytes) : bytes;
    }

    /// <summary>NetVips sets enum arguments from their enum types, not from libvips' nicknames.</summary>
    private static object EnumArgument(string name, object value) => (name, value) switch
    {
        ("compression", string nick) => Enum.Parse<Enums.ForeignHeifCompression>(nick, ignoreCase: true),
        ("subsample_mode", string nick) => Enum.Parse<Enums.ForeignSubsample>(nick, ignoreCase: true),
        ("preset", string nick) => Enum.Parse<Enums.ForeignWebpPreset>(nick, ignoreCase: true),
        _ => value,
    };

    private static string SaverOf(ImageFormat format) => format switch
    {
        ImageFormat.WebP => "webpsave_buffer",
        ImageFormat.Jpeg => "jpegsave_buffer",
        ImageFormat.Png => "pngsave_buffer",
        _ => "heifsave_buffer",
    };

    /// <summary>Wraps interleaved 8-bit pixels; libvips copies them, so the span need not stay pinned.</summary>
    internal static unsafe Image FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        fixed (byte* p = pixels)
        {
            return Image.NewFromMemoryCopy((IntPtr)p, (ulong)pixels.Length, width, height, bands, Enums.BandFormat.Uchar);
        }
    }

    /// <summary>Decodes encoded bytes to straight RGBA (for tests and verification).</summary>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded)
    {
        NativeStack.EnsureLoaded();
        var (pixels, width, height, bands) = Assets.ImageDecoder.DecodeSrgb8(encoded);
        return (PixelConverter.ToRgba(pixels, bands, width, height), width, height);
    }
}
