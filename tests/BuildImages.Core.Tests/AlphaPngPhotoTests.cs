using System.Text.Json.Nodes;
using NetVips;

using BuildImages.Core.Build;
using BuildImages.Tests.Shared;

namespace BuildImages.Core.Tests;

/// <summary>
/// PNGs with an alpha channel through a photos job with the <c>web</c> preset (AVIF, WebP and JPEG): 8- and 16-bit,
/// opaque and translucent, and a palette PNG with tRNS, tall enough that libvips' sequential PNG reader cannot go back
/// (the decode was read twice, once for the alpha's minimum and once for the pixels: "out of order read at line 1600").
/// </summary>
public sealed class AlphaPngPhotoTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public AlphaPngPhotoTests() => Native.NativeStack.EnsureLoaded();

    [Theory]
    [InlineData(AlphaPngs.Kind.Rgba8Opaque)]
    [InlineData(AlphaPngs.Kind.Rgba8Translucent)]
    [InlineData(AlphaPngs.Kind.Rgba16Opaque)]
    [InlineData(AlphaPngs.Kind.Rgba16Translucent)]
    [InlineData(AlphaPngs.Kind.PaletteTrns)]
    public void APNGWithAlphaBecomesEveryWebVariantKeepingItsTransparencyWhereTheFormatCan(AlphaPngs.Kind kind)
    {
        _site.Write("photos/shot.png", AlphaPngs.Make(kind));
        _site.Config["jobs"] = JsonNode.Parse("""[{ "name": "photos", "kind": "photos", "sources": "photos/*.png", "output": "img", "preset": "web" }]""");
        _site.Save();

        var report = _site.Build();

        Assert.True(report.Failed == 0, string.Join("\n", report.Errors.Select(e => e.ToString())));
        var outputs = report.Outputs.Where(o => o.Status == OutputStatus.Rendered).ToList();
        Assert.Contains(outputs, o => o.Path.EndsWith(".avif", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Path.EndsWith(".webp", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Path.EndsWith(".jpg", StringComparison.Ordinal));
        var translucent = AlphaPngs.Translucent(kind);
        foreach (var output in outputs)
        {
            using var decoded = Image.NewFromFile(Path.Combine(_site.Site, output.Path));
            Assert.Equal((output.Width, output.Height), (decoded.Width, decoded.Height));
            Assert.InRange(decoded.Height, decoded.Width * 3 / 2 - 1, decoded.Width * 3 / 2 + 1);
            var jpeg = output.Path.EndsWith(".jpg", StringComparison.Ordinal);
            // Alpha only where the format keeps it and the pixels use it: an opaque RGBA PNG's WebP has none.
            Assert.Equal(translucent && !jpeg, decoded.HasAlpha());
            var left = decoded.Getpoint(decoded.Width / 4, decoded.Height / 2);
            var right = decoded.Getpoint(3 * decoded.Width / 4, decoded.Height / 2);
            Assert.True(Math.Abs(left[0] - 230) < 12 && Math.Abs(left[1] - 120) < 12 && Math.Abs(left[2] - 20) < 14, $"{output.Path}: left is {string.Join(",", left)}");
            if (translucent && !jpeg)
            {
                Assert.InRange(right[3], 50, 78);
            }
            else if (translucent)
            {
                // Flattened onto the job's white background: a quarter orange, three quarters white.
                Assert.True(Math.Abs(right[0] - (0.25 * 230 + 0.75 * 255)) < 12 && Math.Abs(right[2] - (0.25 * 20 + 0.75 * 255)) < 14, $"{output.Path}: right is {string.Join(",", right)}");
            }
        }
    }

    public void Dispose() => _site.Dispose();
}
