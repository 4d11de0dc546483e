using BuildImages.Core.Encoders;
using BuildImages.Core.Imaging;
using NativeStack = BuildImages.Core.Native.NativeStack;
using NetVips;
using GValue = NetVips.GValue;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Tests;

/// <summary>Photos the tests make: each gives correct pixels (size, orientation, colour after conversion, no alpha in JPEG, no metadata) or one clear refusal.</summary>
public sealed class PhotoProcessorTests
{
    private static readonly EncodeOptions Jpeg = new(ImageFormat.Jpeg, 90);
    private static readonly PhotoSettings Settings = new();

    public PhotoProcessorTests() => NativeStack.EnsureLoaded();

    private static ProcessedPhoto Run(byte[] source, PhotoShape shape, EncodeOptions? encode = null) =>
        PhotoProcessor.Process(source, shape, encode ?? Jpeg, null, 40, Settings);

    private static Image Decode(byte[] bytes) => Image.NewFromBuffer(bytes);

    private static double[] PixelAt(byte[] encoded, int x, int y)
    {
        using var image = Decode(encoded);
        return image.Getpoint(x, y);
    }

    /// <summary>An upright test picture: red top-left quarter, blue elsewhere.</summary>
    private static Image Upright(int width, int height)
    {
        using var blue = Image.Black(width, height, bands: 3).NewFromImage(20, 40, 220);
        using var red = Image.Black(width / 2, height / 2, bands: 3).NewFromImage(230, 20, 20);
        using var joined = blue.Insert(red, 0, 0);
        return joined.Copy(interpretation: Enums.Interpretation.Srgb).Cast(Enums.BandFormat.Uchar);
    }

    [Fact]
    public void AnUltraHdrJpegIsReadAsAJpegItsStandardRangeImageResized()
    {
        // Android phones save UltraHDR: a JPEG with a gain map, which libvips 8.18 gives to uhdrload, not jpegload.
        using var picture = Upright(480, 320);
        using var hdr = picture.Colourspace(Enums.Interpretation.Scrgb);
        var source = hdr.UhdrsaveBuffer();
        Assert.Equal("VipsForeignLoadUhdrBuffer", Image.FindLoadBuffer(source));

        Assert.Equal("jpeg", ImageProbe.Read(source).Format);
        var result = Run(source, new PhotoShape(240, null, null, PhotoCrop.Attention));

        using var decoded = Decode(result.Bytes);
        Assert.Equal((240, 160), (decoded.Width, decoded.Height));
        var red = PixelAt(result.Bytes, 40, 30);
        var blue = PixelAt(result.Bytes, 200, 130);
        // The base image is the encoder's tone-mapped standard range: the same picture, a little darker.
        Assert.True(red[0] > 140 && red[0] > 3 * red[2], $"top-left is {string.Join(",", red)}");
        Assert.True(blue[2] > 140 && blue[2] > 3 * blue[0], $"bottom-right is {string.Join(",", blue)}");
    }

    [Fact]
    public void ALargePhotoIsShrunkOnLoadToTheWidthAsked()
    {
        using var big = Upright(6000, 4000);
        var source = big.JpegsaveBuffer(q: 85);
        var result = Run(source, new PhotoShape(960, null, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.WebP, 80));
        Assert.Equal((960, 640), (result.Width, result.Height));
        using var decoded = Decode(result.Bytes);
        Assert.Equal((960, 640), (decoded.Width, decoded.Height));
        Assert.True(PixelAt(result.Bytes, 10, 10)[0] > 180, "top-left stays red");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EveryEXIFOrientationComesOutUprightWithoutTheTag(int orientation)
    {
        var source = Tagged(Upright(120, 80), orientation);
        var result = Run(source, new PhotoShape(120, null, null, PhotoCrop.Attention));
        Assert.Equal((120, 80), (result.Width, result.Height));
        var topLeft = PixelAt(result.Bytes, 10, 10);
        var bottomRight = PixelAt(result.Bytes, 110, 70);
        Assert.True(topLeft[0] > 180 && topLeft[2] < 80, $"orientation {orientation}: top-left is {string.Join(",", topLeft)}");
        Assert.True(bottomRight[2] > 180 && bottomRight[0] < 80, $"orientation {orientation}: bottom-right is {string.Join(",", bottomRight)}");
        using var decoded = Decode(result.Bytes);
        Assert.False(decoded.Contains("exif-data"), "metadata is stripped");
        Assert.False(decoded.Contains("orientation") && (int)decoded.Get("orientation") != 1);
    }

    private static Image Transpose(Image i)
    {
        using var r = i.Rot90();
        return r.FlipHor();
    }

    /// <summary>The JPEG a camera writes for this upright picture (disposed here) with an EXIF orientation tag.</summary>
    private static byte[] Tagged(Image upright, int orientation)
    {
        using (upright)
        using (var stored = Stored(upright, orientation))
        using (var tagged = stored.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation)))
        {
            return tagged.JpegsaveBuffer(q: 95);
        }
    }

    /// <summary>The pixels a camera stores for this upright picture under an EXIF orientation: the inverse of the orientation's transform.</summary>
    private static Image Stored(Image upright, int orientation) => orientation switch
    {
        2 => upright.FlipHor(),
        3 => upright.Rot180(),
        4 => upright.FlipVer(),
        5 => Transpose(upright),
        6 => upright.Rot270(),
        7 => Transverse(upright),
        _ => upright.Rot90(),
    };

    private static Image Transverse(Image i)
    {
        using var r = i.Rot270();
        return r.FlipHor();
    }

    [Theory]
    [InlineData("p3")]
    [InlineData("cmyk")]
    public void AnEmbeddedProfileIsConvertedToSRGB(string profile)
    {
        // A saturated orange and a mid grey, tagged sRGB, moved into the profile's space with the profile embedded.
        using var srgb = Image.Black(64, 64, bands: 3).NewFromImage(235, 120, 30).Copy(interpretation: Enums.Interpretation.Srgb).Cast(Enums.BandFormat.Uchar);
        // icc_transform attaches the output profile, which jpegsave embeds.
        using var tagged = srgb.IccTransform(profile, inputProfile: "srgb");
        var source = tagged.JpegsaveBuffer(q: 98);
        using (var check = Decode(source))
        {
            Assert.True(check.Contains("icc-profile-data"));
            if (profile == "cmyk")
            {
                Assert.Equal(4, check.Bands);
            }
        }
        var result = Run(source, new PhotoShape(32, null, null, PhotoCrop.Attention));
        var pixel = PixelAt(result.Bytes, 16, 16);
        Assert.Equal(3, pixel.Length);
        // Within what a CMYK round trip through a press profile can hold of a saturated orange.
        var tolerance = profile == "cmyk" ? 30 : 8;
        Assert.InRange(pixel[0], 235 - tolerance, 255);
        Assert.InRange(pixel[1], 120 - tolerance, 120 + tolerance);
        Assert.InRange(pixel[2], 0, 30 + tolerance);
        using var decoded = Decode(result.Bytes);
        Assert.False(decoded.Contains("icc-profile-data"), "the profile is stripped with the rest of the metadata");
    }

    [Fact]
    public void AnAdobeRGBPhotoIsConvertedToSRGB()
    {
        var profilePath = Path.Combine(Path.GetTempPath(), $"adobe-rgb-{Guid.NewGuid():N}.icc");
        File.WriteAllBytes(profilePath, TestImages.AdobeRgbProfile());
        try
        {
            // Left half sRGB red, right half sRGB green: Adobe RGB's wider gamut holds them as about (219, 0, 0)
            // and (144, 255, 60), which checks the profile itself, not only its round trip.
            using var red = Image.Black(32, 32, bands: 3).NewFromImage(255, 0, 0);
            using var green = Image.Black(32, 32, bands: 3).NewFromImage(0, 255, 0);
            using var joined = red.Join(green, Enums.Direction.Horizontal);
            using var srgb = joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
            using var tagged = srgb.IccTransform(profilePath, inputProfile: "srgb", intent: Enums.Intent.Relative);
            var source = tagged.PngsaveBuffer();
            var stored = PixelAt(source, 16, 16);
            Assert.InRange(stored[0], 214, 224);
            Assert.InRange(stored[1], 0, 6);
            var storedGreen = PixelAt(source, 48, 16);
            Assert.InRange(storedGreen[0], 136, 152);
            Assert.InRange(storedGreen[2], 50, 70);
            var result = Run(source, new PhotoShape(64, null, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.Png));
            var back = PixelAt(result.Bytes, 16, 16);
            Assert.InRange(back[0], 249, 255);
            Assert.InRange(back[1], 0, 6);
            Assert.InRange(back[2], 0, 6);
            var backGreen = PixelAt(result.Bytes, 48, 16);
            Assert.InRange(backGreen[0], 0, 8);
            Assert.InRange(backGreen[1], 249, 255);
            using var decoded = Decode(result.Bytes);
            Assert.False(decoded.Contains("icc-profile-data"), "the profile is stripped with the rest of the metadata");
        }
        finally
        {
            File.Delete(profilePath);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ThroughTheJPEGLoadersOwnShrinkEveryOrientationIsUprightAndTheSizeExact(int orientation)
    {
        // 480x320 upright to 60 px: the loader decodes at 1/8 (fast shrink), thumbnail rotates from the kept metadata.
        var source = Tagged(Upright(480, 320), orientation);
        foreach (var fast in new[] { true, false })
        {
            var result = PhotoProcessor.Process(source, new PhotoShape(60, null, null, PhotoCrop.Attention), Jpeg, null, 40, Settings with { FastShrink = fast });
            Assert.Equal((60, 40), (result.Width, result.Height));
            var topLeft = PixelAt(result.Bytes, 6, 5);
            var bottomRight = PixelAt(result.Bytes, 54, 35);
            Assert.True(topLeft[0] > 180 && topLeft[2] < 80, $"orientation {orientation}, fast {fast}: top-left is {string.Join(",", topLeft)}");
            Assert.True(bottomRight[2] > 180 && bottomRight[0] < 80, $"orientation {orientation}, fast {fast}: bottom-right is {string.Join(",", bottomRight)}");
        }
    }

    [Fact]
    public void ATruncatedLargeJPEGIsRefusedThroughTheLoadersOwnShrinkToo()
    {
        using var big = Upright(3000, 2000);
        var whole = big.JpegsaveBuffer(q: 90);
        var cut = whole[..(whole.Length / 2)];
        var ex = Assert.Throws<ImageRejectedException>(() => PhotoProcessor.Process(cut, new PhotoShape(300, null, null, PhotoCrop.Attention), Jpeg, null, 40, Settings with { FastShrink = true }));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void AnEmptyFileIsRefusedAsEmptyFromBytesAndFromAFile()
    {
        PhotoRequest[] requests = [new(new PhotoShape(200, null, null, PhotoCrop.Attention), Jpeg, null, 40)];
        Assert.Equal("the file is empty", Assert.Throws<ImageRejectedException>(() => PhotoProcessor.ProcessAll([], requests, Settings)).Message);
        var file = Path.Combine(Path.GetTempPath(), $"bi-empty-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(file, []);
        try
        {
            Assert.Equal("the file is empty", Assert.Throws<ImageRejectedException>(() => PhotoProcessor.ProcessAll(PhotoFile.Now(file), requests, Settings)).Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ASandboxThatCannotStartDecodesInProcessAndSaysSoOnce()
    {
        using var sandbox = new PhotoSandbox(() => new System.Diagnostics.ProcessStartInfo("/nonexistent/buildimages-sandbox") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true });
        using var photo = Upright(400, 300);
        var source = photo.JpegsaveBuffer();
        PhotoRequest[] requests = [new(new PhotoShape(200, null, null, PhotoCrop.Attention), Jpeg, null, 40)];
        var file = Path.Combine(Path.GetTempPath(), $"bi-unstartable-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(file, source);
        try
        {
            var first = sandbox.ProcessAll(PhotoFile.Now(file), requests, Settings, null);
            Assert.Equal(PhotoProcessor.ProcessAll(source, requests, Settings).Outputs[0].Bytes, first.Outputs[0].Bytes);
            Assert.Contains(first.Warnings, w => w.Contains("could not start", StringComparison.Ordinal));
            var second = sandbox.ProcessAll(PhotoFile.Now(file), requests, Settings, null);
            Assert.DoesNotContain(second.Warnings, w => w.Contains("could not start", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(0, sandbox.Started);
    }

    [Fact]
    public void A16BitPNGBecomes8BitWithItsValues()
    {
        using var eight = Image.Black(40, 20, bands: 3).NewFromImage(200, 100, 50).Cast(Enums.BandFormat.Uchar);
        using var sixteen = (eight.Cast(Enums.BandFormat.Ushort) * 257).Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16);
        var source = sixteen.PngsaveBuffer(bitdepth: 16);
        var result = Run(source, new PhotoShape(40, null, null, PhotoCrop.Attention), new EncodeOptions(ImageFormat.Png));
        var pixel = PixelAt(result.Bytes, 5, 5);
        Assert.Equal(new[] { 200.0, 100, 50 }, pixel);
    }

    [Fact]
    public void GreyWithAlphaIsFlattenedOntoTheBackgroundForJPEG()
    {
        // Left half opaque dark grey, right half fully transparent.
        using var grey = Image.Black(40, 20).NewFromImage(60).Cast(Enums.BandFormat.Uchar);
        using var alpha = Image.Black(20, 20).NewFromImage(255).Cast(Enums.BandFormat.Uchar).Embed(0, 0, 40, 20);
        using var ga = grey.Bandjoin(alpha).Copy(interpretation: Enums.Interpretation.Bw);
        var source = ga.PngsaveBuffer();
        var result = PhotoProcessor.Process(source, new PhotoShape(40, null, null, PhotoCrop.Attention), Jpeg, null, 40, Settings with { Background = new Markup.Rgba(1, 0, 0, 1) });
        using var decoded = Decode(result.Bytes);
        Assert.Equal(3, decoded.Bands);
        Assert.InRange(PixelAt(result.Bytes, 5, 10)[0], 50, 70);
        var right = PixelAt(result.Bytes, 35, 10);
        Assert.True(right[0] > 230 && right[1] < 30, "transparent pixels take the configured background");
    }

    [Fact]
    public void ASmallPhotoIsNeverUpscaled()
    {
        using var small = Upright(300, 200);
        var result = Run(small.JpegsaveBuffer(), new PhotoShape(960, null, null, PhotoCrop.Attention));
        Assert.Equal((300, 200), (result.Width, result.Height));
    }

    [Fact]
    public void AnAspectVariantCropsToTheRatioAndTheFocalPointDecidesWhatStays()
    {
        using var wide = Upright(400, 200);
        var source = wide.PngsaveBuffer();
        var left = PhotoProcessor.Process(source, new PhotoShape(100, null, 1.0, PhotoCrop.Focal), Jpeg, null, 40, Settings, (0.0, 0.0));
        var right = PhotoProcessor.Process(source, new PhotoShape(100, null, 1.0, PhotoCrop.Focal), Jpeg, null, 40, Settings, (1.0, 1.0));
        Assert.Equal((100, 100), (left.Width, left.Height));
        Assert.True(PixelAt(left.Bytes, 10, 10)[0] > 180, "focus at the top left keeps the red corner");
        Assert.True(PixelAt(right.Bytes, 10, 10)[2] > 180, "focus at the bottom right loses it");
        var smart = Run(source, new PhotoShape(100, null, 1.0, PhotoCrop.Attention));
        Assert.Equal((100, 100), (smart.Width, smart.Height));
    }

    [Fact]
    public void AnAnimatedGIFKeepsItsFirstFrameOrIsRefused()
    {
        using var frame1 = Image.Black(30, 20, bands: 3).NewFromImage(250, 0, 0).Cast(Enums.BandFormat.Uchar);
        using var frame2 = Image.Black(30, 20, bands: 3).NewFromImage(0, 0, 250).Cast(Enums.BandFormat.Uchar);
        using var strip = frame1.Join(frame2, Enums.Direction.Vertical).Copy(interpretation: Enums.Interpretation.Srgb);
        using var pages = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", 20);
            m.Set(GValue.ArrayIntType, "delay", new[] { 100, 100 });
        });
        var gif = pages.GifsaveBuffer();
        var first = Run(gif, new PhotoShape(30, null, null, PhotoCrop.Attention));
        Assert.Equal((30, 20), (first.Width, first.Height));
        Assert.True(PixelAt(first.Bytes, 15, 10)[0] > 200, "the first frame (red) is kept");
        var refused = Assert.Throws<ImageRejectedException>(() => PhotoProcessor.Process(gif, new PhotoShape(30, null, null, PhotoCrop.Attention), Jpeg, null, 40, Settings with { RefuseAnimated = true }));
        Assert.Contains("animated", refused.Message);
    }

    [Fact]
    public void AFileOverItsTimeLimitIsKilledAndRefusedNamingTheLimit()
    {
        using var big = Upright(6000, 4000);
        var source = big.PngsaveBuffer(compression: 1);
        var ex = Assert.Throws<ImageRejectedException>(() => PhotoProcessor.Process(source, new PhotoShape(5000, null, null, PhotoCrop.Attention), Jpeg, null, 40, Settings with { TimeLimit = TimeSpan.FromMilliseconds(1) }));
        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void ATruncatedFileIsRefusedWithAReason()
    {
        using var photo = Upright(800, 600);
        var bytes = photo.JpegsaveBuffer();
        var ex = Assert.Throws<ImageRejectedException>(() => Run(bytes[..(bytes.Length / 2)], new PhotoShape(400, null, null, PhotoCrop.Attention)));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void AHeaderClaiming100000By100000PixelsIsRefusedBeforeDecoding()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => Run(TestImages.PngHeaderOnly(100_000, 100_000), new PhotoShape(400, null, null, PhotoCrop.Attention)));
        Assert.Contains("pixel limit", ex.Message);
    }

    [Fact]
    public void TheFormatComesFromTheContentNotTheExtension()
    {
        using var photo = Upright(64, 32);
        var png = photo.PngsaveBuffer();
        Assert.Equal("png", ImageProbe.Read(png).Format);
        var result = Run(png, new PhotoShape(64, null, null, PhotoCrop.Attention));
        Assert.Equal((64, 32), (result.Width, result.Height));
    }

    [Fact]
    public void AByteBudgetLowersTheQualityUntilTheFileFits()
    {
        using var noise = Image.Gaussnoise(800, 600, sigma: 60).Cast(Enums.BandFormat.Uchar).Bandjoin(Image.Gaussnoise(800, 600, sigma: 60).Cast(Enums.BandFormat.Uchar), Image.Gaussnoise(800, 600, sigma: 60).Cast(Enums.BandFormat.Uchar)).Copy(interpretation: Enums.Interpretation.Srgb);
        var source = noise.PngsaveBuffer(compression: 1);
        var free = Run(source, new PhotoShape(800, null, null, PhotoCrop.Attention));
        var budget = free.Bytes.Length / 2;
        var fitted = PhotoProcessor.Process(source, new PhotoShape(800, null, null, PhotoCrop.Attention), Jpeg, budget, 20, Settings);
        Assert.True(fitted.Bytes.Length <= budget, $"{fitted.Bytes.Length} > {budget}");
        Assert.True(fitted.Quality < 90);
        Assert.False(fitted.OverBudget);
    }
}
