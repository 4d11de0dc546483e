using BuildImages.Core.Native;
using NetVips;

namespace BuildImages.Core.Assets;

/// <summary>
/// What a raster file is, from its header alone (libvips opens the file lazily; no pixel is decoded): the loader,
/// which must be one we allow, and the sizes, checked against the pixel limit before anything decodes.
/// </summary>
internal sealed record ImageProbe(string Loader, string Format, int Width, int Height, int Orientation, int Bands, bool HasAlpha, bool HasProfile, string Interpretation, int Pages)
{
    /// <summary>The default limit on a file's pixels (width × height of its first frame): a decompression bomb is refused before decoding.</summary>
    internal const long DefaultMaxPixels = 100_000_000;

    /// <summary>Upright width (EXIF orientations 5–8 swap the sides).</summary>
    internal int UprightWidth => Orientation >= 5 ? Height : Width;

    internal int UprightHeight => Orientation >= 5 ? Width : Height;

    /// <summary>Reads the header, or throws <see cref="ImageRejectedException"/> saying why the file is not read.</summary>
    internal static ImageProbe Read(byte[] bytes, long maxPixels = DefaultMaxPixels)
    {
        NativeStack.EnsureLoaded();
        // From the pinned array itself: a buffer load would first copy the whole file into libvips' memory.
        using var input = Source.NewFromMemory(bytes);
        return Read(input, bytes, bytes.Length, maxPixels);
    }

    /// <summary>
    /// As <see cref="Read(byte[], long)"/>, from a libvips source (a file's descriptor, an array) whose first bytes are
    /// <paramref name="head"/> (to name a format we refuse) and whose length is <paramref name="length"/>.
    /// </summary>
    internal static ImageProbe Read(Source input, ReadOnlySpan<byte> head, long length, long maxPixels)
    {
        if (length == 0)
        {
            throw new ImageRejectedException("the file is empty");
        }
        var loader = FindLoader(input);
        if (loader is null)
        {
            throw new ImageRejectedException($"{Sniffed(head) ?? "it is not an image format"} BuildImages reads ({VipsRuntime.AllowedFormats})");
        }
        if (FormatOf(loader) is not { } format)
        {
            throw new ImageRejectedException($"it is read by libvips' {loader}, which BuildImages does not allow (it reads {VipsRuntime.AllowedFormats})");
        }
        try
        {
            using var header = Image.NewFromSource(input, access: Enums.Access.Sequential);
            if ((long)header.Width * header.Height > maxPixels)
            {
                throw new ImageRejectedException($"it is {header.Width}×{header.Height} pixels, over the {maxPixels:N0}-pixel limit");
            }
            var orientation = header.Contains("orientation") ? Math.Clamp((int)header.Get("orientation"), 1, 8) : 1;
            var pages = header.Contains("n-pages") ? (int)header.Get("n-pages") : 1;
            var pageHeight = header.Contains("page-height") ? header.PageHeight : header.Height;
            return new ImageProbe(loader, format, header.Width, pageHeight, orientation, header.Bands, header.HasAlpha(), header.Contains("icc-profile-data"),
                header.Interpretation.ToString().ToLowerInvariant(), pages);
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException(FirstLine(ex.Message));
        }
    }

    /// <summary>The line of a libvips error that says what went wrong (not "unable to call …" or "unable to copy to memory").</summary>
    internal static string FirstLine(string libvipsMessage)
    {
        var lines = libvipsMessage.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => !l.StartsWith("unable to", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "libvips gave no reason";
    }

    private static string? FindLoader(Source input)
    {
        try
        {
            return Image.FindLoadSource(input);
        }
        catch (VipsException)
        {
            return null;
        }
    }

    private static string? FormatOf(string loader) => loader switch
    {
        // libvips names the loader by its class (VipsForeignLoadPngSource) or, in some versions, its nickname.
        "VipsForeignLoadJpegSource" or "jpegload_source" or "VipsForeignLoadUhdrSource" or "uhdrload_source" => "jpeg",
        "VipsForeignLoadPngSource" or "pngload_source" => "png",
        "VipsForeignLoadWebpSource" or "webpload_source" => "webp",
        "VipsForeignLoadNsgifSource" or "gifload_source" => "gif",
        "VipsForeignLoadTiffSource" or "tiffload_source" => "tiff",
        "VipsForeignLoadHeifSource" or "heifload_source" => "heif",
        _ => null,
    };

    /// <summary>Names the formats people most often hand us that we refuse, so the message says what the file is.</summary>
    private static string? Sniffed(ReadOnlySpan<byte> b) => b switch
    {
        [0x38, 0x42, 0x50, 0x53, ..] => "it is a Photoshop (PSD) file, not an image format",
        [0x25, 0x50, 0x44, 0x46, ..] => "it is a PDF file, not an image format",
        [0x25, 0x21, ..] => "it is a PostScript/EPS file, not an image format",
        [0x69, 0x63, 0x6E, 0x73, ..] => "it is an ICNS icon, not an image format",
        [0x44, 0x44, 0x53, 0x20, ..] => "it is a DDS texture, not an image format",
        [0x42, 0x4D, ..] => "it is a BMP file, not an image format",
        [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, ..] or [0xFF, 0x4F, 0xFF, 0x51, ..] => "it is a JPEG 2000 file, not an image format",
        _ => null,
    };
}

/// <summary>A file the photo pipeline will not or cannot read: the reason, without the file name (the caller names it).</summary>
public sealed class ImageRejectedException(string reason) : Exception(reason);
