using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Configuration;

namespace BuildImages.Benchmarks;

/// <summary>
/// Release bench: median time to draw one 1200x630 blog-post card (gradient, SVG logo, 3 text blocks),
/// single-threaded, split into prepare (template + layout) and draw, plus encode for reference.
/// Run: dotnet run -c Release --project tests/BuildImages.Benchmarks [-- --iterations N]
/// </summary>
internal static class CardDrawBench
{
    internal static int Run(string[] args, TextWriter output)
    {
        var iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        var repo = BenchSupport.RepoRoot();
        var sample = Path.Combine(repo, "samples", "blog-post");
        using var engine = new CardEngine(new EngineOptions
        {
            TemplateRoots = [Path.Combine(repo, "templates")],
            AssetRoots = [sample, Path.Combine(sample, "assets")],
        });
        using var renderer = engine.CreateRenderer();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample, "posts.json")));
        var item = ItemData.FromJson(doc.RootElement[0]);
        var size = new CardSize(1200, 630);
        var template = engine.Templates.Resolve("blog-post");

        var prepare = new List<double>();
        var draw = new List<double>();
        var webp = new List<double>();
        var jpeg = new List<double>();
        for (var i = 0; i < iterations + 20; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var prepared = renderer.Prepare(template, item, size);
            var t1 = Stopwatch.GetTimestamp();
            var card = prepared.DrawAtWidth(1200);
            var t2 = Stopwatch.GetTimestamp();
            if (i >= 20)
            {
                prepare.Add(Ms(t0, t1));
                draw.Add(Ms(t1, t2));
                if (i % 10 == 0)
                {
                    var t3 = Stopwatch.GetTimestamp();
                    VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.WebP, 80));
                    var t4 = Stopwatch.GetTimestamp();
                    VariantEncoder.Encode(card, new EncodeOptions(ImageFormat.Jpeg, 82));
                    var t5 = Stopwatch.GetTimestamp();
                    webp.Add(Ms(t3, t4));
                    jpeg.Add(Ms(t4, t5));
                }
            }
        }
        var total = prepare.Zip(draw, (a, b) => a + b).ToList();
        output.WriteLine(FormattableString.Invariant($"blog-post 1200x630, {iterations} iterations, 1 thread"));
        output.WriteLine(FormattableString.Invariant($"  prepare (template + layout) median {BenchSupport.Median(prepare):F2} ms"));
        output.WriteLine(FormattableString.Invariant($"  draw (cairo + pango)        median {BenchSupport.Median(draw):F2} ms"));
        output.WriteLine(FormattableString.Invariant($"  prepare + draw              median {BenchSupport.Median(total):F2} ms  p90 {BenchSupport.Percentile(total, 0.9):F2} ms"));
        output.WriteLine(FormattableString.Invariant($"  encode WebP q80 e4          median {BenchSupport.Median(webp):F2} ms"));
        output.WriteLine(FormattableString.Invariant($"  encode JPEG q82             median {BenchSupport.Median(jpeg):F2} ms"));
        return 0;
    }

    private static double Ms(long a, long b) => (b - a) * 1000.0 / Stopwatch.Frequency;
}
