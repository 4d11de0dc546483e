using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Configuration;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--prepare PEERSITE [N]</c>: on the peer card (a site made by <c>--batch peer</c>), one thread, one engine as in a
/// batch: median template evaluation, layout and draw per width for a gradient card and a photo card, N times
/// each after warm-up. Shows what a photo background costs above a gradient, and where a frame's time goes. Frames
/// are drawn twice: into fresh arrays (the public <c>DrawAtWidth</c>, which pays the page faults of new memory) and
/// into pooled buffers, as a build's workers draw them.
/// </summary>
internal static class PrepareBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var site = Path.GetFullPath(args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: --prepare PEERSITE [N]"));
        var n = int.Parse(args.ElementAtOrDefault(1) ?? "200", CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(site, "cards.json")));
        using var engine = new CardEngine(new EngineOptions { TemplateRoots = [site], AssetRoots = [site], FontFolders = [Path.Combine(site, "fonts")] });
        using var renderer = engine.CreateRenderer();
        var template = engine.Templates.Resolve(Path.Combine(site, "card.sbn"));
        var size = new CardSize(1200, 630);
        foreach (var (name, index) in new[] { ("gradient", 0), ("photo", 2) })
        {
            var item = ItemData.FromJson(doc.RootElement[index]);
            var evaluate = new List<double>();
            var layout = new List<double>();
            var draw1200 = new List<double>();
            var draw600 = new List<double>();
            var pooled1200 = new List<double>();
            var pooled600 = new List<double>();
            for (var i = 0; i < n + 20; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var evaluated = renderer.Evaluate(template, item, size);
                var t1 = Stopwatch.GetTimestamp();
                using var prepared = renderer.LayOut(evaluated);
                var t2 = Stopwatch.GetTimestamp();
                prepared.DrawAtWidth(1200);
                var t3 = Stopwatch.GetTimestamp();
                prepared.DrawAtWidth(600);
                var t4 = Stopwatch.GetTimestamp();
                var rented = new List<byte[]>();
                byte[] Rent(int length)
                {
                    rented.Add(System.Buffers.ArrayPool<byte>.Shared.Rent(length));
                    return rented[^1];
                }
                prepared.DrawAtWidth(1200, Rent);
                var t5 = Stopwatch.GetTimestamp();
                prepared.DrawAtWidth(600, Rent);
                var t6 = Stopwatch.GetTimestamp();
                rented.ForEach(b => System.Buffers.ArrayPool<byte>.Shared.Return(b));
                if (i >= 20)
                {
                    evaluate.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    layout.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    draw1200.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                    draw600.Add(Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds);
                    pooled1200.Add(Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds);
                    pooled600.Add(Stopwatch.GetElapsedTime(t5, t6).TotalMilliseconds);
                }
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-8} median ms: template {BenchSupport.Median(evaluate):0.000}, layout {BenchSupport.Median(layout):0.000}, template+layout {BenchSupport.Median(evaluate.Zip(layout, (a, b) => a + b).ToList()):0.000}, draw 1200 {BenchSupport.Median(draw1200):0.00}, draw 600 {BenchSupport.Median(draw600):0.00}; pooled frames: draw 1200 {BenchSupport.Median(pooled1200):0.00}, draw 600 {BenchSupport.Median(pooled600):0.00}"));
        }
        o.WriteLine($"image cache: {engine.ImageCache}");
        return 0;
    }
}
