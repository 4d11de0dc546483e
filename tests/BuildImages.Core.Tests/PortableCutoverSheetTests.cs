using BuildImages.Core.Configuration;
using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>
/// Issue 25's cut-over from pango + cairo to our layout + Skia, kept visible: every built-in template × every sample
/// item as the last pango build drew it (tests/Reference/before-portable, the references of 8948b72) beside today's
/// render, one sheet per card size in the tests' output folder (side-by-side/*.png), and a bound on how far apart
/// they may be, so a later change that moves the cards away from what users had is seen here first.
/// </summary>
public sealed class PortableCutoverSheetTests
{
    [Theory]
    [InlineData("1200x630")]
    [InlineData("1080x1080")]
    public void EveryBuiltInCardStaysCloseToItsPangoRenderAndLandsOnTheSheet(string size)
    {
        Assert.True(CardSize.TryParse(size, out var cardSize));
        var rows = new List<NetVips.Image>();
        var names = new List<string>();
        var far = new List<string>();
        foreach (var (template, slug, caseSize) in GoldenImageTests.Cases().Select(c => ((string)c[0], (string)c[1], (string)c[2])))
        {
            if (caseSize != size)
            {
                continue;
            }
            var sampleDir = Path.Combine(TestCards.RepoRoot, "samples", template);
            using var engine = new CardEngine(new EngineOptions
            {
                TemplateRoots = [Path.Combine(TestCards.RepoRoot, "templates")],
                AssetRoots = [sampleDir, Path.Combine(sampleDir, "assets")],
                FontFolders = [GoldenImageTests.PinnedFonts],
                SystemFonts = false,
            });
            using var renderer = engine.CreateRenderer();
            var item = GoldenImageTests.SampleItems(template).Single(i => (string)i["slug"]! == slug);
            using var prepared = renderer.Prepare(template, item, cardSize, slug);
            var card = prepared.DrawAtWidth(cardSize.Width);
            var before = Path.Combine(TestCards.RepoRoot, "tests", "Reference", "before-portable", $"{template}-{slug}-{size}.png");
            var (difference, _) = ImageComparer.Compare(card, before, 48);
            // Same words, same boxes, other rasteriser and line breaker: glyph edges and a shifted line differ; a lost
            // element, a wrong font or a reflowed title do not stay under this (a missing 64×64 logo alone is ~2).
            if (difference.MeanError > 12)
            {
                far.Add($"{template}-{slug}: mean error {difference.MeanError:F2}");
            }
            names.Add($"{template}-{slug}: mean error {difference.MeanError:F2}, {difference.DifferingPixels} pixels differ by more than 48");
            var old = NetVips.Image.NewFromFile(before).Resize(0.5);
            var now = NetVips.Image.NewFromBuffer(VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.Png))).Resize(0.5);
            rows.Add(old.Join(now, NetVips.Enums.Direction.Horizontal, expand: true, shim: 16, background: [255.0]));
        }
        Assert.NotEmpty(rows);
        var sheet = NetVips.Image.Arrayjoin([.. rows], across: 1, shim: 16, background: [255.0]);
        var folder = Path.Combine(AppContext.BaseDirectory, "side-by-side");
        Directory.CreateDirectory(folder);
        sheet.WriteToFile(Path.Combine(folder, $"{size}.png"));
        File.WriteAllLines(Path.Combine(folder, $"{size}.txt"), ["left: pango + cairo (8948b72), right: today; top to bottom:", .. names]);
        Assert.True(far.Count == 0, string.Join("; ", far));
    }
}
