using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Drawing;
using BuildImages.Core.Encoders;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Pixels;
using BuildImages.Core.Configuration;
using SkiaSharp;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--encoders [PEERSITE] [REPS]</c>: encoder settings measured, not assumed. Draws the first sample item of
/// every built-in template (and the peer card's gradient and photo cards when PEERSITE, a site made by
/// <c>--batch peer</c>, is given) at 1200 and 600 px, encodes each with every candidate setting REPS times on one
/// thread, and prints per setting the median time, the bytes and the SSIM against the drawn pixels (summed or
/// averaged over the cards), relative to the balanced profile's row. The profiles in <see cref="EncoderSettings"/>
/// are chosen from this table.
/// </summary>
internal static class EncoderBench
{
    /// <summary>A libvips save setting, or (with <paramref name="Encoder"/>) another encoder of the same format.</summary>
    private sealed record Candidate(string Name, ImageFormat Format, (string, object)[] Settings, Func<RenderedCard, byte[]>? Encoder = null);

    internal static int Run(string[] args, TextWriter o)
    {
        var peerSite = args.ElementAtOrDefault(0) is { Length: > 0 } p && p != "-" ? Path.GetFullPath(p) : null;
        var reps = int.Parse(args.ElementAtOrDefault(1) ?? "3", CultureInfo.InvariantCulture);
        var cards = DrawCards(peerSite);
        o.WriteLine($"{cards.Count} frames: {string.Join(", ", cards.Select(c => c.Name))}; {reps} encodes each, median; one thread");
        // BI_BENCH_ENCODERS=text keeps the candidates whose name holds it (one format's rows without the others').
        var only = Environment.GetEnvironmentVariable("BI_BENCH_ENCODERS");
        var candidates = Candidates().Where(c => string.IsNullOrEmpty(only) || c.Name.Contains(only, StringComparison.Ordinal)).ToList();
        foreach (var group in candidates.GroupBy(c => c.Format))
        {
            o.WriteLine();
            o.WriteLine($"| {group.Key} setting | ms (sum over frames) | bytes (sum) | mean SSIM | min SSIM |");
            o.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var candidate in group)
            {
                double ms = 0;
                long bytes = 0;
                var ssims = new List<double>();
                foreach (var (_, frame) in cards)
                {
                    var times = new List<double>();
                    byte[] encoded = [];
                    for (var r = 0; r < reps; r++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        encoded = candidate.Encoder?.Invoke(frame) ?? VariantEncoder.Encode(frame, candidate.Format, candidate.Settings);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                    times.Sort();
                    ms += times[times.Count / 2];
                    bytes += encoded.Length;
                    var (rgba, w, h) = VariantEncoder.DecodeRgba(encoded);
                    ssims.Add(Ssim.Rgb(Reference(frame), rgba, w, h));
                }
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {candidate.Name} | {ms:0.0} | {bytes:N0} | {ssims.Average():0.0000} | {ssims.Min():0.0000} |"));
            }
        }
        return 0;
    }

    private static IEnumerable<Candidate> Candidates()
    {
        foreach (var effort in new[] { 0, 1, 2, 3, 4, 5, 6 })
        {
            yield return new($"webp q80 effort {effort}", ImageFormat.WebP, [("Q", 80), ("effort", effort), ("strip", true)]);
        }
        foreach (var preset in new[] { "picture", "photo", "drawing", "icon", "text" })
        {
            yield return new($"webp q80 effort 2 preset {preset}", ImageFormat.WebP, [("Q", 80), ("effort", 2), ("preset", preset), ("strip", true)]);
        }
        yield return new("webp q80 effort 4 smart_subsample", ImageFormat.WebP, [("Q", 80), ("effort", 4), ("smart_subsample", true), ("strip", true)]);
        yield return new("webp q80 effort 6 smart_subsample", ImageFormat.WebP, [("Q", 80), ("effort", 6), ("smart_subsample", true), ("strip", true)]);
        // Skia's own libwebp (SkiaSharp's native library, fixed at method 4) and libjpeg-turbo: measured so that the
        // choice of libvips for encoding stays a measured one.
        yield return new("skia webp q80 (its fixed method)", ImageFormat.WebP, [], frame => SkiaEncode(frame, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 80)));
        yield return new("webp q75 effort 0", ImageFormat.WebP, [("Q", 75), ("effort", 0), ("strip", true)]);
        yield return new("webp q70 effort 0", ImageFormat.WebP, [("Q", 70), ("effort", 0), ("strip", true)]);
        yield return new("jpeg q82", ImageFormat.Jpeg, [("Q", 82), ("strip", true)]);
        yield return new("jpeg q82 optimize_coding", ImageFormat.Jpeg, [("Q", 82), ("optimize_coding", true), ("strip", true)]);
        yield return new("jpeg q82 optimize_coding trellis_quant", ImageFormat.Jpeg, [("Q", 82), ("optimize_coding", true), ("trellis_quant", true), ("strip", true)]);
        yield return new("jpeg q82 optimize_coding interlace", ImageFormat.Jpeg, [("Q", 82), ("optimize_coding", true), ("interlace", true), ("strip", true)]);
        yield return new("jpeg q82 optimize_coding interlace trellis_quant", ImageFormat.Jpeg, [("Q", 82), ("optimize_coding", true), ("interlace", true), ("trellis_quant", true), ("strip", true)]);
        yield return new("skia jpeg q82", ImageFormat.Jpeg, [], frame => SkiaEncode(frame, new SKJpegEncoderOptions(82, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)));
        yield return new("jpeg q82 4:4:4", ImageFormat.Jpeg, [("Q", 82), ("optimize_coding", true), ("subsample_mode", "off"), ("strip", true)]);
        foreach (var effort in new[] { 0, 1, 2, 3, 4 })
        {
            yield return new($"avif q80 effort {effort}", ImageFormat.Avif, [("Q", 80), ("compression", "av1"), ("effort", effort), ("strip", true)]);
        }
        yield return new("avif q60 effort 2", ImageFormat.Avif, [("Q", 60), ("compression", "av1"), ("effort", 2), ("strip", true)]);
        yield return new("png compression 6", ImageFormat.Png, [("compression", 6), ("strip", true)]);
        yield return new("png compression 2", ImageFormat.Png, [("compression", 2), ("strip", true)]);
    }

    private static List<(string Name, RenderedCard Frame)> DrawCards(string? peerSite)
    {
        var repo = BenchSupport.RepoRoot();
        var frames = new List<(string, RenderedCard)>();
        var samples = new[] { ("blog-post", "posts.json"), ("event", "events.json"), ("photo", "photos.json"), ("product-card", "products.json") };
        foreach (var (template, data) in samples)
        {
            var sample = Path.Combine(repo, "samples", template);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample, data)));
            var first = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement[0] : doc.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value[0];
            Draw(frames, template, new EngineOptions { TemplateRoots = [Path.Combine(repo, "templates")], AssetRoots = [sample, Path.Combine(sample, "assets")] }, template, ItemData.FromJson(first));
        }
        if (peerSite is not null)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(peerSite, "cards.json")));
            var options = new EngineOptions { TemplateRoots = [peerSite], AssetRoots = [peerSite], FontFolders = [Path.Combine(peerSite, "fonts")] };
            Draw(frames, "peer-gradient", options, Path.Combine(peerSite, "card.sbn"), ItemData.FromJson(doc.RootElement[0]));
            Draw(frames, "peer-photo", options, Path.Combine(peerSite, "card.sbn"), ItemData.FromJson(doc.RootElement[2]));
        }
        return frames;
    }

    private static void Draw(List<(string, RenderedCard)> frames, string name, EngineOptions options, string template, IReadOnlyDictionary<string, object?> item)
    {
        using var engine = new CardEngine(options);
        using var renderer = engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, item, new CardSize(1200, 630));
        frames.Add(($"{name} 1200", prepared.DrawAtWidth(1200)));
        frames.Add(($"{name} 600", prepared.DrawAtWidth(600)));
    }

    private static unsafe byte[] SkiaEncode<T>(RenderedCard frame, T options)
    {
        fixed (byte* p = frame.Bgra)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Bgra8888, SKAlphaType.Premul), (IntPtr)p, frame.Stride);
            using var data = options switch
            {
                SKWebpEncoderOptions webp => pixmap.Encode(webp),
                SKJpegEncoderOptions jpeg => pixmap.Encode(jpeg),
                _ => throw new ArgumentException("not an encoder option", nameof(options)),
            };
            return data?.ToArray() ?? throw new InvalidOperationException("Skia could not encode the frame");
        }
    }

    /// <summary>The drawn frame as straight RGBA, as the encoder receives it.</summary>
    private static byte[] Reference(RenderedCard frame)
    {
        var rgba = new byte[frame.Width * frame.Height * 4];
        PixelConverter.FromPremultipliedBgra(frame.Bgra, frame.Width, frame.Height, frame.Stride, 4, rgba);
        return rgba;
    }
}
