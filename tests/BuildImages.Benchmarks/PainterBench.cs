using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--painters [N]</c>: laying a card out (markup, our paragraph layout with HarfBuzz shaping) and drawing it with
/// Skia, on built-in template samples with the repository's pinned fonts, one thread: median milliseconds per
/// 1200×630 card after warm-up, N of each.
/// </summary>
internal static class PainterBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var n = int.Parse(args.ElementAtOrDefault(0) ?? "100", CultureInfo.InvariantCulture);
        var root = BenchSupport.RepoRoot();
        foreach (var (template, slug) in new[] { ("blog-post", "kafka-road"), ("blog-post", "rtl"), ("product-card", "bottle"), ("event", "dotnet-meetup") })
        {
            var sampleDir = Path.Combine(root, "samples", template);
            using var engine = new CardEngine(new EngineOptions
            {
                TemplateRoots = [Path.Combine(root, "templates")],
                AssetRoots = [sampleDir, Path.Combine(sampleDir, "assets")],
                FontFolders = [Path.Combine(root, "tests", "Fonts", "pinned")],
                SystemFonts = false,
            });
            using var renderer = engine.CreateRenderer();
            using var items = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(sampleDir, "*.json").First()));
            var item = ItemData.FromJson(items.RootElement.EnumerateArray().First(e => e.GetProperty("slug").GetString() == slug));
            var layout = new List<double>();
            var draw = new List<double>();
            for (var i = 0; i < n + 10; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var prepared = renderer.Prepare(template, item, new CardSize(1200, 630), slug);
                var t1 = Stopwatch.GetTimestamp();
                prepared.Draw(1);
                var t2 = Stopwatch.GetTimestamp();
                if (i >= 10)
                {
                    layout.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    draw.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                }
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{template} {slug,-13} median ms per 1200x630 card: layout {BenchSupport.Median(layout):0.00}, draw {BenchSupport.Median(draw):0.00}"));
        }
        return 0;
    }
}
