using BuildImages.Core.Encoding;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Tests;

/// <summary>
/// Compares a render with a committed reference PNG with a tolerance (antialiasing differs slightly across
/// library builds); on failure writes the actual image and a diff image under tests/failures/.
/// </summary>
internal static class ImageComparer
{
    private const int ChannelThreshold = 48;
    private const double MaxDifferingFraction = 0.004;
    private const double MaxMeanError = 1.5;

    internal static void AssertMatchesReference(RenderedCard card, string referenceName)
    {
        var referencePath = Path.Combine(TestCards.RepoRoot, "tests", "Reference", referenceName + ".png");
        var actualPng = VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.Png));
        if (Environment.GetEnvironmentVariable("BUILDIMAGES_UPDATE_REFERENCES") == "1")
        {
            File.WriteAllBytes(referencePath, actualPng);
            return;
        }
        Assert.True(File.Exists(referencePath), $"reference {referencePath} is missing (run the tests with BUILDIMAGES_UPDATE_REFERENCES=1 once and look at it)");
        var (expected, ew, eh) = VariantEncoder.DecodeRgba(File.ReadAllBytes(referencePath));
        var actual = card.ToRgba();
        Assert.Equal((ew, eh), (card.Width, card.Height));
        var differing = 0;
        long total = 0;
        var diff = new byte[actual.Length];
        for (var i = 0; i < actual.Length; i += 4)
        {
            var d = 0;
            for (var c = 0; c < 4; c++)
            {
                d = Math.Max(d, Math.Abs(actual[i + c] - expected[i + c]));
                total += Math.Abs(actual[i + c] - expected[i + c]);
            }
            if (d > ChannelThreshold)
            {
                differing++;
            }
            diff[i] = (byte)Math.Min(255, d * 4);
            diff[i + 1] = 0;
            diff[i + 2] = 0;
            diff[i + 3] = 255;
        }
        var fraction = differing / (double)(ew * eh);
        var mean = total / (double)actual.Length;
        if (fraction > MaxDifferingFraction || mean > MaxMeanError)
        {
            var failures = Path.Combine(TestCards.RepoRoot, "tests", "failures");
            Directory.CreateDirectory(failures);
            File.WriteAllBytes(Path.Combine(failures, referenceName + ".actual.png"), actualPng);
            using var diffImage = Native.VipsImage.FromPixels(diff, ew, eh, 4);
            using var op = Native.VipsOperation.Create("pngsave_buffer").Set("in", diffImage).Build();
            File.WriteAllBytes(Path.Combine(failures, referenceName + ".diff.png"), op.GetBlob("buffer"));
            Assert.Fail($"{referenceName}: {fraction:P2} of pixels differ (limit {MaxDifferingFraction:P2}), mean error {mean:F2} (limit {MaxMeanError}); see {failures}");
        }
    }
}
