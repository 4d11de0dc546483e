using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

/// <summary>
/// Compares a render with a committed reference PNG with a tolerance (antialiasing differs slightly across
/// library builds); on failure writes the actual image and a diff image under tests/failures/.
/// </summary>
internal static class ImageComparer
{
    /// <summary>The default for golden images: a few antialiased edges may differ, a missing 64×64 logo may not.</summary>
    internal static readonly ImageTolerance Golden = new(MaxDifferingPixels: 150, ChannelThreshold: 48, MaxMeanError: 0.4);

    internal static void AssertMatchesReference(RenderedCard card, string referenceName, ImageTolerance? tolerance = null)
    {
        var limit = tolerance ?? Golden;
        var referencePath = Path.Combine(TestCards.RepoRoot, "tests", "Reference", referenceName + ".png");
        var actualPng = VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.Png));
        if (Environment.GetEnvironmentVariable("BUILDIMAGES_UPDATE_REFERENCES") == "1")
        {
            File.WriteAllBytes(referencePath, actualPng);
            return;
        }
        Assert.True(File.Exists(referencePath), $"reference {referencePath} is missing (run the tests with BUILDIMAGES_UPDATE_REFERENCES=1 once and look at it)");
        var (difference, diff) = Compare(card, referencePath, limit.ChannelThreshold);
        if (!limit.Allows(difference))
        {
            var failures = Path.Combine(TestCards.RepoRoot, "tests", "failures");
            Directory.CreateDirectory(failures);
            File.WriteAllBytes(Path.Combine(failures, referenceName + ".actual.png"), actualPng);
            using var diffImage = VariantEncoder.FromPixels(diff, card.Width, card.Height, 4);
            File.WriteAllBytes(Path.Combine(failures, referenceName + ".diff.png"), VariantEncoder.Save(diffImage, ImageFormat.Png, []));
            Assert.Fail($"{referenceName}: {difference.DifferingPixels} pixels differ (limit {limit.MaxDifferingPixels}), mean error {difference.MeanError:F2} (limit {limit.MaxMeanError}); see {failures}");
        }
    }

    /// <summary>How a render differs from a reference PNG, and a diff image (red where pixels differ).</summary>
    internal static (ImageDifference Difference, byte[] Diff) Compare(RenderedCard card, string referencePath, int channelThreshold)
    {
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
            if (d > channelThreshold)
            {
                differing++;
            }
            diff[i] = (byte)Math.Min(255, d * 4);
            diff[i + 1] = 0;
            diff[i + 2] = 0;
            diff[i + 3] = 255;
        }
        return (new ImageDifference(differing, total / (double)actual.Length), diff);
    }
}

/// <summary>How far a render may be from its reference: pixels over the channel threshold (a count, not a share of the card, so a small missing element always fails), and the mean error.</summary>
internal sealed record ImageTolerance(int MaxDifferingPixels, int ChannelThreshold, double MaxMeanError)
{
    internal bool Allows(ImageDifference d) => d.DifferingPixels <= MaxDifferingPixels && d.MeanError <= MaxMeanError;
}

internal sealed record ImageDifference(int DifferingPixels, double MeanError);
