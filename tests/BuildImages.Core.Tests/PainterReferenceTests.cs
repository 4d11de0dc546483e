using BuildImages.Core.Configuration;
using BuildImages.Core.Pixels;
using BuildImages.Core.Templates;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Tests;

/// <summary>
/// The painter against what the cairo painter it replaced (issue 25) drew for the same markup: tests/Reference/cairo
/// holds cairo's pictures of these cards at 1x and 2x (pango set their text), drawn by 8948b72, the last commit with
/// cairo. Edges are anti-aliased by two rasterisers and shadows blurred by two algorithms (three box passes against
/// Skia's Gaussian), so each case has its own tolerance; a wrong radius, offset, gradient direction, clip or opacity
/// moves thousands of pixels by far more.
/// </summary>
public sealed class PainterReferenceTests : IDisposable
{
    private readonly TestCards _cards = new();
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public PainterReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        // A photo-like raster (smooth ramps and a hard-edged block) and an SVG, for the image cases.
        var (w, h) = (320, 200);
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = ((y * w) + x) * 3;
                var block = x is > 200 and < 260 && y is > 40 and < 100;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = block ? ((byte)250, (byte)250, (byte)20) : ((byte)(x * 255 / w), (byte)(y * 255 / h), (byte)128);
            }
        }
        using (var image = NetVips.Image.NewFromMemory(rgb, w, h, 3, NetVips.Enums.BandFormat.Uchar))
        {
            image.WriteToFile(Path.Combine(_cards.Assets, "photo.png"));
        }
        File.WriteAllText(Path.Combine(_cards.Assets, "mark.svg"), """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="40" fill="#e11d48"/><rect x="20" y="45" width="60" height="10" fill="#fff"/></svg>""");
    }

    public static TheoryData<string, string, double, double> Cards => new()
    {
        {
            "shapes",
            """<card width="600" height="300" background="#f1f5f9"><rect x="30" y="30" width="200" height="120" radius="24" fill="#2563eb" stroke="#0f172a" stroke-width="6"/><ellipse x="260" y="40" width="160" height="100" fill="#16a34a" stroke="#facc15" stroke-width="4"/><line x1="40" y1="250" x2="560" y2="200" stroke="#dc2626" stroke-width="10" cap="round"/><rect x="450" y="160" width="120" height="110" radius="60 10 30 0" fill="#9333ea"/></card>""",
            0.25, 0.004
        },
        {
            "gradients",
            """<card width="600" height="300" background="linear-gradient(135deg, #0ea5e9, #6366f1 60%, #ec4899)"><ellipse x="380" y="60" width="180" height="180" fill="radial-gradient(circle at 30% 30%, #fde68a, #f97316 70%, #7c2d12)"/><rect x="40" y="60" width="280" height="160" radius="20" fill="linear-gradient(90deg, rgba(255,255,255,0.9), rgba(255,255,255,0.1))"/></card>""",
            1.0, 0.001
        },
        {
            "shadows",
            """<card width="600" height="300" background="#ffffff"><rect x="60" y="60" width="200" height="140" radius="16" fill="#ffffff" shadow="0 12 30 rgba(15,23,42,0.45)"/><ellipse x="360" y="70" width="150" height="150" fill="#22c55e" shadow="8 8 0 #000000"/></card>""",
            0.5, 0.003
        },
        {
            "clip-and-opacity",
            """<card width="600" height="300" background="#0f172a"><column x="40" y="40" width="240" height="200" radius="40" clip="true" background="#334155" stroke="#f8fafc" stroke-width="4"><rect width="300" height="120" fill="#f59e0b"/></column><stack x="320" y="40" width="240" height="200" opacity="0.5"><rect width="160" height="160" fill="#ef4444"/><rect x="80" y="40" width="160" height="160" fill="#3b82f6"/></stack></card>""",
            0.1, 0.001
        },
        {
            "images",
            """<card width="600" height="300" background="#e2e8f0"><image src="photo.png" x="20" y="20" width="260" height="260" fit="cover" focus="0.8 0.5" radius="30" shadow="0 6 16 rgba(0,0,0,0.4)"/><image src="photo.png" x="300" y="20" width="130" height="130" fit="contain" circle="true"/><image src="mark.svg" x="450" y="20" width="120" height="120"/><image src="photo.png" x="300" y="170" width="280" height="110" fit="fill"/></card>""",
            0.3, 0.004
        },
    };

    [Theory]
    [MemberData(nameof(Cards))]
    public void SkiaDrawsWhatCairoDrew(string name, string markup, double meanTolerance, double farShareTolerance)
    {
        var template = _cards.Template("parity-" + name, markup);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        foreach (var scale in new[] { 1.0, 2.0 })
        {
            using var prepared = renderer.Prepare(template, new Dictionary<string, object?>(), new CardSize(600, 300));
            var skia = prepared.Draw(scale).ToRgba();
            var (cairo, width, height) = Cairo($"{name}@{scale}");

            Assert.Equal(cairo.Length, skia.Length);
            var (mean, farShare) = Difference(cairo, skia);
            Save(cairo, skia, width, height, $"{name}@{scale}");
            _output.WriteLine($"{name} at {scale}x: mean {mean:0.###}/255, {farShare:P3} of pixels past 32/255");
            Assert.True(mean <= meanTolerance, $"{name} at {scale}x: mean difference {mean:0.###}/255 (tolerance {meanTolerance})");
            Assert.True(farShare <= farShareTolerance, $"{name} at {scale}x: {farShare:P3} of pixels differ by more than 32/255 (tolerance {farShareTolerance:P1})");
        }
    }

    public static TheoryData<string, string, double, double> TextCards => new()
    {
        {
            "title",
            """<card width="600" height="300" background="#0f172a" color="#f8fafc"><column x="40" y="30" width="520" gap="12"><text font-size="44" font-weight="800" max-lines="2">Rendering cards once, at build time, for every page we publish</text><text font-size="22" color="#94a3b8">A short description under the title, in a lighter colour.</text></column></card>""",
            5.0, 0.05
        },
        {
            "spans",
            """<card width="600" height="300" background="#ffffff"><text x="30" y="30" width="540" font-size="30">Plain, <b>bold</b>, <i>italic</i>, <span color="#dc2626">red</span>, <span underline="true">under</span>, <span strikethrough="true">struck</span> and <span background="#fde68a">marked</span> words.</text></card>""",
            5.0, 0.05
        },
        {
            "scripts",
            """<card width="600" height="300" background="#f8fafc"><column x="30" y="20" width="540" gap="10"><text font-size="30" dir="rtl">مرحبا بالعالم، هذا نص عربي</text><text font-size="30">שלום עולם and English 🎉🚀</text><text font-size="30" shadow="2 2 4 rgba(0,0,0,0.5)">Shadowed text</text></column></card>""",
            5.0, 0.05
        },
    };

    /// <summary>
    /// Text was set by pango and is set by our layout, rasterised by two font engines, so pixels differ more than for
    /// shapes; where the ink is must not: its bounds agree within 3 px at 1x, and the pictures within the tolerance.
    /// </summary>
    [Theory]
    [MemberData(nameof(TextCards))]
    public void SkiaDrawsTextWhereCairoDrewIt(string name, string markup, double meanTolerance, double farShareTolerance)
    {
        SkiaDrawsWhatCairoDrew(name, markup, meanTolerance, farShareTolerance);

        var template = _cards.Template("ink-" + name, markup);
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, new Dictionary<string, object?>(), new CardSize(600, 300));
        var (reference, width, height) = Cairo($"{name}@1");
        var cairo = InkBounds(reference, width, height);
        var skia = InkBounds(prepared.Draw(1).ToRgba(), width, height);
        Assert.True(Math.Abs(cairo.Left - skia.Left) <= 3 && Math.Abs(cairo.Top - skia.Top) <= 3 && Math.Abs(cairo.Right - skia.Right) <= 3 && Math.Abs(cairo.Bottom - skia.Bottom) <= 3, $"{name}: ink at {cairo} with cairo, {skia} with Skia");
    }

    /// <summary>The box around every pixel that differs from the top-left one (the background) by more than 48/255.</summary>
    private static (int Left, int Top, int Right, int Bottom) InkBounds(byte[] rgba, int width, int height)
    {
        var (left, top, right, bottom) = (width, height, -1, -1);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var far = false;
                for (var c = 0; c < 3; c++)
                {
                    far |= Math.Abs(rgba[(((y * width) + x) * 4) + c] - rgba[c]) > 48;
                }
                if (far)
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
            }
        }
        return (left, top, right, bottom);
    }

    [Fact]
    public void TextLaidOutByOurStackReportsItsFontsAndWhatNoFontCovers()
    {
        var template = _cards.Template("coverage", """<card width="600" height="200" background="#fff"><text x="20" y="20" width="560" font-family="Inter" font-size="32">Hello នៅ عربي</text></card>""");
        // Only the pinned fonts: Khmer is in none of them, Arabic is.
        using var engine = new CardEngine(new EngineOptions { TemplateRoots = [Path.Combine(_cards.Root, "templates")], FontFolders = [GoldenImageTests.PinnedFonts], SystemFonts = false });
        using var renderer = engine.CreateRenderer();

        using var prepared = renderer.Prepare(template, new Dictionary<string, object?>(), new CardSize(600, 200));

        Assert.Contains(prepared.Inputs.FontFiles, f => f.EndsWith("Inter-Regular.otf", StringComparison.Ordinal));
        Assert.Contains(prepared.Inputs.FontFiles, f => f.EndsWith("NotoSansArabic-Regular.ttf", StringComparison.Ordinal));
        Assert.DoesNotContain(prepared.Inputs.FontFiles, f => f.Contains("Khmer", StringComparison.Ordinal));
        var warning = Assert.Single(prepared.Warnings, w => w.Code == Diagnostics.DiagnosticCodes.UncoveredCodePoint && w.Message.Contains("U+1793", StringComparison.Ordinal));
        Assert.Contains("Hello", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileMegabyteTitleIsCutBetweenClustersAndSetInSeconds()
    {
        var template = _cards.Template("huge", """<card width="600" height="200" background="#fff"><text x="20" y="20" width="560" font-size="32" max-lines="2">{{ title }}</text></card>""");
        using var engine = _cards.Engine(fonts: [GoldenImageTests.PinnedFonts]);
        using var renderer = engine.CreateRenderer();
        var title = string.Concat(Enumerable.Repeat("word \u05D0\u05D1 ", 100_000));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var prepared = renderer.Prepare(template, new Dictionary<string, object?> { ["title"] = title }, new CardSize(600, 200));
        var card = prepared.Draw(1);

        var block = prepared.Root.Descendants().Single(b => b.Text is not null).Text!;
        Assert.True(block.Text.Length <= BuildImages.Core.Text.TextCut.MaxCharacters, $"{block.Text.Length} characters set");
        Assert.True(block.Ellipsized);
        Assert.Equal(600, card.Width);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void TheTestCatchesAWrongPicture()
    {
        // The same comparison between two different cards: a radius and a colour off must fail it.
        var a = _cards.Template("wrong-a", """<card width="600" height="300" background="#fff"><rect x="30" y="30" width="200" height="120" radius="24" fill="#2563eb"/></card>""");
        var b = _cards.Template("wrong-b", """<card width="600" height="300" background="#fff"><rect x="30" y="30" width="200" height="120" radius="60" fill="#1d4ed8"/></card>""");
        using var engine = _cards.Engine();
        using var renderer = engine.CreateRenderer();
        using var first = renderer.Prepare(a, new Dictionary<string, object?>(), new CardSize(600, 300));
        using var second = renderer.Prepare(b, new Dictionary<string, object?>(), new CardSize(600, 300));

        var (mean, farShare) = Difference(first.Draw(1).ToRgba(), second.Draw(1).ToRgba());

        Assert.True(mean > 1.0 && farShare > 0.004, $"mean {mean}, far {farShare}");
    }

    /// <summary>cairo's picture of a case (straight RGBA), drawn by 8948b72.</summary>
    private static (byte[] Rgba, int Width, int Height) Cairo(string name) =>
        Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(TestCards.RepoRoot, "tests", "Reference", "cairo", name + ".png")));

    private static (double Mean, double FarShare) Difference(byte[] a, byte[] b)
    {
        long sum = 0;
        var far = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            var worst = 0;
            for (var c = 0; c < 4; c++)
            {
                var d = Math.Abs(a[i + c] - b[i + c]);
                sum += d;
                worst = Math.Max(worst, d);
            }
            far += worst > 32 ? 1 : 0;
        }
        return ((double)sum / a.Length, (double)far / (a.Length / 4));
    }

    /// <summary>Both pictures side by side in the test output folder, to look at when a tolerance is in question.</summary>
    private static void Save(byte[] cairo, byte[] skia, int width, int height, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "painter-reference");
        Directory.CreateDirectory(folder);
        using var left = NetVips.Image.NewFromMemory(cairo, width, height, 4, NetVips.Enums.BandFormat.Uchar);
        using var right = NetVips.Image.NewFromMemory(skia, width, height, 4, NetVips.Enums.BandFormat.Uchar);
        using var both = left.Join(right, NetVips.Enums.Direction.Horizontal);
        both.WriteToFile(Path.Combine(folder, name + ".png"));
    }

    public void Dispose() => _cards.Dispose();
}
