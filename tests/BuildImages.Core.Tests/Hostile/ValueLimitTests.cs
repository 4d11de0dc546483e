using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Large item values meet limits of their own before templating: big data: images render, bigger ones fail naming the field, huge text is cut.</summary>
public sealed class ValueLimitTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    /// <summary>A PNG of noise (it does not compress) as a data: URI of about <paramref name="side"/>² × 4 characters.</summary>
    private static string NoisePng(int side)
    {
        var bgra = new byte[side * side * 4];
        var random = new Random(7);
        random.NextBytes(bgra);
        for (var i = 3; i < bgra.Length; i += 4)
        {
            bgra[i] = 255;
        }
        return "data:image/png;base64," + Convert.ToBase64String(VariantEncoder.Encode(new RenderedCard(bgra, side, side, side * 4), new EncodeOptions(ImageFormat.Png)));
    }

    [Fact]
    public void ASixMegabyteDataImageRendersAndABiggerOneFailsNamingTheField()
    {
        var six = NoisePng(1250);
        Assert.InRange(six.Length, 5_500_000, 9_000_000);
        _site.Items[1]["logo"] = six;
        _site.Items[2]["logo"] = "data:image/png;base64," + new string('A', 17 * 1024 * 1024);
        _site.Save();

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0013", error.Code);
        Assert.Equal("cards/gamma", error.Item);
        Assert.Equal("job 'cards': field 'logo' holds a data: URI of 17.0 MB; the limit is 16 MB (put the image in a file under an asset root)", error.Message);
        Assert.EndsWith("items.json", error.File, StringComparison.Ordinal);
        Assert.Contains("og/beta.webp", BuildFixture.Rendered(report));
        // The noise logo is drawn: the 24×24 box at the left of the title row is not the card's flat background.
        var (rgba, width, _) = VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(_site.Site, "og", "beta.webp")));
        var distinct = new HashSet<int>();
        for (var y = 14; y < 34; y++)
        {
            for (var x = 14; x < 34; x++)
            {
                var i = ((y * width) + x) * 4;
                distinct.Add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
            }
        }
        // Noise shrunk from 1250 px to 24 averages towards grey (libvips decodes at the drawn size), but stays far
        // from the one or two colours of a flat background.
        Assert.True(distinct.Count > 20, $"{distinct.Count} colours where the noise logo should be");
    }

    [Fact]
    public void AFiveMegabyteTitleRendersCutInsteadOfFailing()
    {
        _site.Items[0]["title"] = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet ", 200_000));
        _site.Save();

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.Contains("og/alpha.webp", BuildFixture.Rendered(report));
    }

    [Fact]
    public void AHundredMegabyteTitleRendersCutInsteadOfCrashingThePlanner()
    {
        // Before: "The JSON value of length 200000410 is too large" escaped the planner's canonical hash (exit 70/134).
        _site.Write("items.json", "[{\"slug\":\"huge\",\"title\":\"" + string.Concat(Enumerable.Repeat("word ", 20_000_000)) + "\"}]");

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.Contains("og/huge.webp", BuildFixture.Rendered(report));
        // The cut value is what the key hashes: the same build again renders nothing.
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void EqualLargeImagesGiveEqualMarkupAndDifferentOnesDoNot()
    {
        var a = new Dictionary<string, string>();
        var b = new Dictionary<string, string>();
        var one = Templates.ItemValueLimits.Apply(new Dictionary<string, object?> { ["img"] = NoisePng(60), ["n"] = 1L }, a);
        var same = Templates.ItemValueLimits.Apply(new Dictionary<string, object?> { ["img"] = NoisePng(60) }, b);
        var other = Templates.ItemValueLimits.Apply(new Dictionary<string, object?> { ["img"] = NoisePng(61) }, b);
        Assert.StartsWith("bi-inline:", (string)one["img"]!, StringComparison.Ordinal);
        Assert.Equal(one["img"], same["img"]);
        Assert.NotEqual(one["img"], other["img"]);
        var small = new Dictionary<string, object?> { ["t"] = "short" };
        Assert.Same(small, Templates.ItemValueLimits.Apply(small, a));
    }
}
