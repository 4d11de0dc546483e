using BuildImages.Core.Encoders;
using BuildImages.Core.Markup;
using NetVips;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Imaging;

/// <summary>What one photo variant became.</summary>
public sealed record ProcessedPhoto(byte[] Bytes, int Width, int Height, int Quality, bool OverBudget);

/// <summary>Every variant asked of one file, with the file's upright size (EXIF orientation applied) and what libvips warned.</summary>
public sealed record ProcessedFile(IReadOnlyList<ProcessedPhoto> Outputs, int SourceWidth, int SourceHeight, IReadOnlyList<string> Warnings);

/// <summary>One variant asked of a photo.</summary>
public sealed record PhotoRequest(PhotoShape Shape, EncodeOptions Encode, long? MaxBytes, int MinQuality);

/// <summary>The settings a photo job applies to every variant.</summary>
public sealed record PhotoSettings
{
    /// <summary>What transparent pixels become in formats without alpha (JPEG).</summary>
    public Rgba Background { get; init; } = new(1, 1, 1, 1);

    /// <summary>Keep EXIF/XMP/ICC (orientation is reset, as the pixels are upright); by default everything is stripped.</summary>
    public bool KeepMetadata { get; init; }

    public long MaxPixels { get; init; } = ImageProbe.DefaultMaxPixels;

    /// <summary>Refuse animated GIF/WebP instead of keeping their first frame.</summary>
    public bool RefuseAnimated { get; init; }

    /// <summary>The most a file may take to decode and encode.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Decode a JPEG at the largest 1/2, 1/4 or 1/8 scale the output allows, then resize the rest (sharp's default,
    /// <c>fastShrinkOnLoad</c>). libvips' own thumbnail keeps a 2× margin: a 3840-px photo for a 768-px output is decoded
    /// at 1920, not 960, which costs a quarter more time for a difference the output's lanczos hides. Off: that margin.
    /// </summary>
    public bool FastShrink { get; init; } = true;

    public string Describe() => $"bg {Background} meta {(KeepMetadata ? "keep" : "strip")} animated {(RefuseAnimated ? "refuse" : "first")}{(FastShrink ? "" : " exact-shrink")}";
}

/// <summary>
/// Right-sizes one photo: header checked (allowed loader, pixel limit), decoded with shrink-on-load (libvips
/// <c>thumbnail</c>: a 4K JPEG is decoded at 1/2, 1/4 or 1/8 size when the output is that small), EXIF-rotated,
/// ICC profile (Display P3, Adobe RGB, CMYK) converted to sRGB, 16-bit and grey made 8-bit sRGB, alpha flattened
/// for JPEG, cropped to an aspect ratio, encoded to the variant (fitting its byte budget), metadata stripped.
/// </summary>
public static class PhotoProcessor
{
    /// <summary>Throws <see cref="ImageRejectedException"/> (with the reason, not the file name) for a file it will not or cannot read.</summary>
    public static ProcessedPhoto Process(byte[] source, PhotoShape shape, EncodeOptions encode, long? maxBytes, int minQuality, PhotoSettings settings, (double X, double Y)? focus = null) =>
        ProcessAll(source, [new PhotoRequest(shape, encode, maxBytes, minQuality)], settings, focus).Outputs[0];

    /// <summary>
    /// Every variant of one file, in the order asked. Variants of the same size and crop share one decode (a web
    /// preset's AVIF, WebP and JPEG at 960 px decode the source once), and one time limit covers the file.
    /// </summary>
    public static ProcessedFile ProcessAll(byte[] source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus = null)
    {
        Native.NativeStack.EnsureLoaded();
        // Probed and decoded from the array itself, pinned until every image made from it is done (a buffer load copies
        // the whole file into libvips' memory first).
        using var input = Source.NewFromMemory(source);
        return ProcessAll(input, ImageProbe.Read(input, source, source.Length, settings.MaxPixels), requests, settings, focus);
    }

    /// <summary>
    /// As <see cref="ProcessAll(byte[], IReadOnlyList{PhotoRequest}, PhotoSettings, ValueTuple{double, double}?)"/>,
    /// from the file as it was hashed, which libvips reads as it decodes; an IOException naming the file when it cannot
    /// be opened or was written meanwhile (<see cref="SourceChangedException"/>).
    /// </summary>
    public static ProcessedFile ProcessAll(PhotoFile file, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus = null)
    {
        Native.NativeStack.EnsureLoaded();
        using var opened = PhotoFileSource.Open(file);
        var done = ProcessAll(opened.Source, ImageProbe.Read(opened.Source, opened.Head, opened.Length, settings.MaxPixels), requests, settings, focus);
        opened.EnsureUnchanged();
        return done;
    }

    private static ProcessedFile ProcessAll(Source input, ImageProbe probe, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus)
    {
        if (probe.Pages > 1 && settings.RefuseAnimated)
        {
            throw new ImageRejectedException($"it is animated ({probe.Pages} frames) and this job refuses animations");
        }
        using var warnings = Native.VipsWarnings.Collect();
        using var watchdog = new PipelineWatchdog(settings.TimeLimit);
        try
        {
            var results = new ProcessedPhoto[requests.Count];
            // Chroma only changes the encode; JPEG flattens alpha and PNG keeps grey, so those decode on their own.
            foreach (var group in Enumerable.Range(0, requests.Count).GroupBy(i => (Shape: requests[i].Shape with { Subsample = true }, Kind: Kind(requests[i].Encode.Format))))
            {
                using var image = Decode(input, probe, group.Key.Shape, settings, focus);
                using var pixels = Finish(image, requests[group.First()].Encode.Format, settings, watchdog);
                foreach (var i in group)
                {
                    var r = requests[i];
                    results[i] = Encode(pixels, r, settings, watchdog);
                }
            }
            return new ProcessedFile(results, probe.UprightWidth, probe.UprightHeight, [.. warnings.Warnings.Select(w => "libvips: " + w)]);
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException(watchdog.Expired
                ? $"decoding and encoding took longer than the {settings.TimeLimit.TotalSeconds:0.#} s limit"
                : ImageProbe.FirstLine(ex.Message));
        }
    }

    private static ImageFormat Kind(ImageFormat format) => format is ImageFormat.Jpeg or ImageFormat.Png ? format : ImageFormat.WebP;

    private static Image Decode(Source source, ImageProbe probe, PhotoShape shape, PhotoSettings settings, (double X, double Y)? focus)
    {
        var (width, height) = shape.SizeFor(probe.UprightWidth, probe.UprightHeight);
        // Colour-manage only what needs it: an untagged RGB file is sRGB already, and the transform costs time.
        var manage = probe.HasProfile || probe.Interpretation == "cmyk";
        var crop = shape.Aspect is null ? (Enums.Interesting?)null : shape.Crop switch
        {
            PhotoCrop.Attention => Enums.Interesting.Attention,
            PhotoCrop.Entropy => Enums.Interesting.Entropy,
            PhotoCrop.Centre => Enums.Interesting.Centre,
            _ => null,
        };
        if (shape.Aspect is not null && shape.Crop == PhotoCrop.Focal)
        {
            return FocalCrop(source, probe, width, height, manage, focus ?? (0.5, 0.5), settings.FastShrink);
        }
        return Thumbnail(source, probe, settings.FastShrink, width, height, manage, probe.Interpretation == "cmyk" && !probe.HasProfile, crop);
    }

    /// <summary>Scales so the crop box covers the output, then cuts the box around the focal point, kept inside the image.</summary>
    private static Image FocalCrop(Source source, ImageProbe probe, int width, int height, bool manage, (double X, double Y) focus, bool fastShrink)
    {
        var scale = Math.Max((double)width / probe.UprightWidth, (double)height / probe.UprightHeight);
        var coverWidth = Math.Max(width, (int)Math.Ceiling(probe.UprightWidth * scale));
        using var scaled = Thumbnail(source, probe, fastShrink, coverWidth, 10_000_000, manage, false, null);
        var w = Math.Min(width, scaled.Width);
        var h = Math.Min(height, scaled.Height);
        var left = Math.Clamp((int)Math.Round((focus.X * scaled.Width) - (w / 2.0)), 0, scaled.Width - w);
        var top = Math.Clamp((int)Math.Round((focus.Y * scaled.Height) - (h / 2.0)), 0, scaled.Height - h);
        return scaled.Crop(left, top, w, h);
    }

    /// <summary>
    /// libvips <c>thumbnail_source</c> called by its argument names in libvips 8.14 (<c>export_profile</c>,
    /// <c>import_profile</c>; NetVips' typed method uses the names of later versions). The loader's
    /// <c>fail_on</c> goes through <c>option_string</c>: 8.14's thumbnail ignores its own (a truncated JPEG then
    /// decodes with grey rows).
    /// </summary>
    private static Image Thumbnail(Source source, ImageProbe probe, bool fastShrink, int width, int height, bool manage, bool untaggedCmyk, Enums.Interesting? crop)
    {
        var options = new VOption { { "height", height }, { "size", Enums.Size.Down } };
        if (manage)
        {
            options.Add("export_profile", "srgb");
        }
        if (untaggedCmyk)
        {
            options.Add("import_profile", "cmyk");
        }
        if (crop is { } interesting)
        {
            options.Add("crop", interesting);
        }
        if (fastShrink && JpegShrink(probe, width, height, crop is not null) is var shrink and > 1)
        {
            // The loader's own shrink, then thumbnail of the loaded image: orientation and profile stay in its metadata.
            using var loaded = (Image)Operation.Call("jpegload_source", new VOption { { "shrink", shrink }, { "fail_on", Enums.FailOn.Error }, { "access", Enums.Access.Sequential } }, source);
            return (Image)Operation.Call("thumbnail_image", options, loaded, width);
        }
        options.Add("option_string", "fail_on=error");
        return (Image)Operation.Call("thumbnail_source", options, source, width);
    }

    /// <summary>The JPEG loader's shrink (8, 4, 2 or 1) that still leaves at least the output's pixels; the factor is upright, like the box.</summary>
    private static int JpegShrink(ImageProbe probe, int width, int height, bool cover)
    {
        if (!probe.Loader.StartsWith("VipsForeignLoadJpeg", StringComparison.Ordinal))
        {
            return 1;
        }
        double x = (double)probe.UprightWidth / width, y = (double)probe.UprightHeight / height;
        // Fitting inside the box, the larger ratio decides the scale; covering it (a crop), the smaller.
        var factor = cover ? Math.Min(x, y) : Math.Max(x, y);
        return factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
    }

    /// <summary>8-bit sRGB, alpha only where the format keeps it and the pixels use it.</summary>
    private static Image Finish(Image image, ImageFormat format, PhotoSettings settings, PipelineWatchdog watchdog)
    {
        var current = image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        if (current.Format != Enums.BandFormat.Uchar)
        {
            Replace(ref current, current.Cast(Enums.BandFormat.Uchar, shift: current.Format == Enums.BandFormat.Ushort));
        }
        if (current.Interpretation == Enums.Interpretation.Bw && format != ImageFormat.Png)
        {
            // Grey JPEG/WebP/AVIF are valid, but browsers and vision APIs handle sRGB everywhere, and a coloured background needs it.
            Replace(ref current, current.Colourspace(Enums.Interpretation.Srgb));
        }
        // Decoded once into memory (it is the output's size) before anything reads it: the loader is sequential and
        // cannot be read twice (asking the alpha's minimum first failed every tall PNG with "out of order read"), and a
        // byte-budget search encodes the pixels several times.
        var decoding = current;
        Replace(ref current, watchdog.Run(decoding, decoding.CopyMemory));
        if (current.HasAlpha() && (format == ImageFormat.Jpeg || current.ExtractBand(current.Bands - 1).Min() >= 255))
        {
            var bg = settings.Background;
            using var flattened = current.Flatten(current.Bands >= 3 ? [bg.R * 255, bg.G * 255, bg.B * 255] : [(bg.R + bg.G + bg.B) * 85]);
            Replace(ref current, flattened.CopyMemory());
        }
        return current;
    }

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }

    private static ProcessedPhoto Encode(Image pixels, PhotoRequest request, PhotoSettings settings, PipelineWatchdog watchdog)
    {
        var encode = request.Encode;
        byte[] At(int quality)
        {
            using var copy = Prepared(pixels, settings);
            var options = EncoderSettings.For(encode with { Quality = quality }).Where(s => !(settings.KeepMetadata && s.Name == "strip")).ToList();
            if (!request.Shape.Subsample && encode.Format is ImageFormat.Jpeg or ImageFormat.WebP)
            {
                // Text stays sharp without 4:2:0 chroma: JPEG's subsample_mode off; WebP's closest is smart_subsample.
                options.Add(encode.Format == ImageFormat.Jpeg ? ("subsample_mode", "off") : ("smart_subsample", true));
            }
            return watchdog.Run(copy, () => VariantEncoder.Save(copy, encode.Format, options));
        }
        var fitted = BudgetSearch.Fit(At, encode.Quality, request.MinQuality, request.MaxBytes, encode.Format == ImageFormat.Png);
        return new ProcessedPhoto(fitted.Bytes, pixels.Width, pixels.Height, fitted.Quality, fitted.OverBudget);
    }

    /// <summary>A copy whose metadata is what the output keeps: nothing, or everything but a stale orientation.</summary>
    private static Image Prepared(Image pixels, PhotoSettings settings)
    {
        var copy = pixels.Mutate(m =>
        {
            if (m.Contains("orientation"))
            {
                m.Remove("orientation");
            }
            if (settings.KeepMetadata && m.Contains("exif-ifd0-Orientation"))
            {
                m.Remove("exif-ifd0-Orientation");
            }
        });
        return copy;
    }
}
