using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BuildImages.Core.Encoders;
using BuildImages.Core.Imaging;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using NetVips;
using BuildImages.Core.Configuration;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--ocr DIR [PAGES]</c>: does a preset keep text readable? Draws PAGES document pages (A4 at 300 dpi) of known
/// text in several fonts and sizes, each once clean (a PNG, as a PDF render or screenshot) and once with a scanned
/// look (paper tint, a slight skew, blur, sensor noise, a JPEG), right-sizes each with every candidate setting,
/// runs Debian's tesseract on the original and on every output, and prints per candidate the character accuracy
/// (1 − edit distance / length of the known text), the bytes, and the vision tokens before and after. The
/// <c>ai-ocr</c> preset is chosen from this table. Needs <c>tesseract</c> on PATH (build/install-ocr.sh).
/// </summary>
internal static class OcrBench
{
    private sealed record Face(string Family, int Px, string Label, string Color = "#111111", string Background = "#ffffff");

    private sealed record Candidate(string Name, int? MaxSide, int Quality, bool Subsample);

    private sealed record Page(string Name, Face Face, bool Scanned, string File, string Truth, int Width, int Height);

    // 300 dpi: 6 pt ≈ 25 px, 8 pt ≈ 33 px, 10 pt ≈ 42 px, 12 pt ≈ 50 px.
    private static readonly Face[] Faces =
    [
        new("Inter", 42, "Inter 10 pt"), new("DejaVu Serif", 42, "DejaVu Serif 10 pt"), new("DejaVu Sans Mono", 33, "DejaVu Mono 8 pt"),
        new("Inter", 25, "Inter 6 pt"), new("DejaVu Serif", 29, "DejaVu Serif 7 pt"), new("Noto Sans", 50, "Noto Sans 12 pt"),
        new("Inter", 33, "Inter 8 pt red on blue", "#c0392b", "#dbeafe"),
    ];

    private static readonly Candidate[] Candidates =
    [
        new("original", null, 0, true),
        new("2048 q90 4:4:4", 2048, 90, false),
        new("1568 q90 4:4:4 (ai-ocr before)", 1568, 90, false),
        new("1568 q80 4:2:0 (ai-ocr)", 1568, 80, true),
        new("1568 q70 4:2:0", 1568, 70, true),
        new("1280 q80 4:2:0", 1280, 80, true),
        new("1024 q80 4:2:0", 1024, 80, true),
        new("768 q85 (ai-scene)", 768, 85, true),
        new("512 q85 (ai-detect)", 512, 85, true),
        new("256 q85 (ai-classify)", 256, 85, true),
    ];

    private static readonly string[] Words =
        ("the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her " +
         "invoice total amount due date account number payment received balance order shipped quantity price unit tax subtotal " +
         "customer address street city postal code reference contract agreement section clause party shall notice period term " +
         "report quarter revenue growth margin operating expenses forecast budget approved signature witness schedule appendix").Split(' ');

    internal static int Run(string[] args, TextWriter o)
    {
        var dir = Path.GetFullPath(args.ElementAtOrDefault(0) ?? "/tmp/bi-ocr");
        var pageCount = int.Parse(args.ElementAtOrDefault(1) ?? "6", CultureInfo.InvariantCulture);
        if (!Tesseract.Available())
        {
            o.WriteLine("tesseract is not on PATH: run build/install-ocr.sh (Debian: tesseract-ocr, tesseract-ocr-eng)");
            return 2;
        }
        Directory.CreateDirectory(dir);
        var pages = DrawPages(dir, pageCount);
        o.WriteLine($"{pages.Count} pages ({pageCount} clean, {pageCount} scanned), 2480x3508; tesseract {Tesseract.Version()} (--psm 6, eng)");
        var models = VisionModels.BuiltIn().Where(m => m.Model is "claude (sonnet 4.x)" or "gpt-5" or "gemini-2.5-flash").ToList();
        var jobs = pages.SelectMany(p => Candidates.Select(c => (Page: p, Candidate: c))).ToList();
        var results = new ConcurrentBag<(Page Page, Candidate Candidate, double Accuracy, long Bytes, int Width, int Height)>();
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (file, bytes, w, h) = Make(job.Page, job.Candidate, dir);
            var text = Tesseract.Read(file);
            results.Add((job.Page, job.Candidate, Accuracy(job.Page.Truth, text), bytes, w, h));
        });
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{jobs.Count} OCR runs in {clock.Elapsed.TotalSeconds:0.0} s"));
        o.WriteLine();
        o.WriteLine("| Candidate | size | char accuracy, clean (mean / min) | scanned (mean / min) | KB per page | " + string.Join(" | ", models.Select(m => $"{m.Model} tokens/page")) + " |");
        o.WriteLine("| --- | --- | --- | --- | --- | " + string.Join(" | ", models.Select(_ => "---")) + " |");
        var original = results.Where(r => r.Candidate.MaxSide is null).ToList();
        foreach (var candidate in Candidates)
        {
            var rows = results.Where(r => r.Candidate == candidate).ToList();
            var clean = rows.Where(r => !r.Page.Scanned).Select(r => r.Accuracy).ToList();
            var scanned = rows.Where(r => r.Page.Scanned).Select(r => r.Accuracy).ToList();
            var size = $"{rows[0].Width}x{rows[0].Height}";
            var tokens = models.Select(m =>
            {
                var before = original.Average(r => m.Estimate(r.Width, r.Height).Tokens);
                var after = rows.Average(r => m.Estimate(r.Width, r.Height).Tokens);
                return candidate.MaxSide is null ? $"{after:0}" : $"{after:0} (−{100 * (before - after) / before:0}%)";
            });
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {candidate.Name} | {size} | {100 * clean.Average():0.0}% / {100 * clean.Min():0.0}% | {100 * scanned.Average():0.0}% / {100 * scanned.Min():0.0}% | {rows.Average(r => r.Bytes) / 1024:0} | {string.Join(" | ", tokens)} |"));
        }
        o.WriteLine();
        o.WriteLine("Character accuracy by face, clean / scanned:");
        o.WriteLine();
        o.WriteLine("| Candidate | " + string.Join(" | ", Faces.Select(f => f.Label)) + " |");
        o.WriteLine("| --- | " + string.Join(" | ", Faces.Select(_ => "---")) + " |");
        foreach (var candidate in Candidates)
        {
            var cells = Faces.Select(f =>
            {
                var rows = results.Where(r => r.Candidate == candidate && r.Page.Face == f).ToList();
                string Mean(bool scanned) => rows.Where(r => r.Page.Scanned == scanned).Select(r => r.Accuracy).DefaultIfEmpty(double.NaN).Average().ToString("0.0%", CultureInfo.InvariantCulture);
                return $"{Mean(false)} / {Mean(true)}";
            });
            o.WriteLine($"| {candidate.Name} | {string.Join(" | ", cells)} |");
        }
        return 0;
    }

    private static (string File, long Bytes, int Width, int Height) Make(Page page, Candidate candidate, string dir)
    {
        if (candidate.MaxSide is null)
        {
            return (page.File, new FileInfo(page.File).Length, page.Width, page.Height);
        }
        var shape = new PhotoShape(null, candidate.MaxSide, null, PhotoCrop.Attention, candidate.Subsample);
        var result = PhotoProcessor.Process(File.ReadAllBytes(page.File), shape, new EncodeOptions(ImageFormat.Jpeg, candidate.Quality), null, 40, new PhotoSettings());
        var file = Path.Combine(dir, "out", $"{page.Name}-{candidate.MaxSide}-q{candidate.Quality}{(candidate.Subsample ? "" : "-444")}.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, result.Bytes);
        if (candidate.MaxSide == 1568 && candidate.Quality == 80)
        {
            Preview(result.Bytes, Path.Combine(dir, "preview", $"{page.Name}-1568.png"), 0.447);
        }
        return (file, result.Bytes.Length, result.Width, result.Height);
    }

    private static List<Page> DrawPages(string dir, int count)
    {
        var pages = new List<Page>();
        var template = Path.Combine(dir, "page.sbn");
        File.WriteAllText(template, """
            <card width="{{ card.width }}" height="{{ card.height }}" background="{{ background }}" color="{{ color }}" font-family="{{ family }}">
              <column x="0" y="0" width="100%" height="100%" padding="150 160" gap="{{ gap }}">
                {{ for line in lines }}<text font-size="{{ px }}" max-lines="1">{{ line }}</text>
                {{ end }}
              </column>
            </card>
            """);
        using var engine = new CardEngine(new EngineOptions { TemplateRoots = [dir] });
        using var renderer = engine.CreateRenderer();
        for (var i = 0; i < count; i++)
        {
            var face = Faces[i % Faces.Length];
            var random = new Random(1000 + i);
            var lines = Lines(random, face);
            var item = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["family"] = face.Family, ["color"] = face.Color, ["background"] = face.Background, ["px"] = face.Px, ["gap"] = (int)(face.Px * 0.45), ["lines"] = lines.Cast<object?>().ToList(),
            };
            var frame = renderer.Render(template, item, new CardSize(2480, 3508));
            var png = VariantEncoder.Encode(frame, ImageFormat.Png, [("compression", 2)]);
            var truth = string.Join(' ', lines);
            var clean = Path.Combine(dir, $"page{i}-clean.png");
            File.WriteAllBytes(clean, png);
            pages.Add(new Page($"page{i}-clean", face, false, clean, truth, 2480, 3508));
            var scanned = Path.Combine(dir, $"page{i}-scanned.jpg");
            File.WriteAllBytes(scanned, Scan(png, i));
            Preview(File.ReadAllBytes(scanned), Path.Combine(dir, "preview", $"page{i}-scanned.png"), 1);
            pages.Add(new Page($"page{i}-scanned", face, true, scanned, truth, 2480, 3508));
        }
        return pages;
    }

    /// <summary>Lines of seeded words (with invoice numbers and amounts) that fit the text width with room to spare, so none is cut.</summary>
    private static List<string> Lines(Random random, Face face)
    {
        var charWidth = face.Family.Contains("Mono", StringComparison.Ordinal) ? 0.62 : 0.58;
        var perLine = (int)((2480 - 320) / (face.Px * charWidth));
        var lineCount = (int)((3508 - 300) / (face.Px * 1.17 + face.Px * 0.45));
        var lines = new List<string>(lineCount);
        for (var l = 0; l < lineCount; l++)
        {
            var sb = new StringBuilder();
            while (true)
            {
                var word = random.Next(12) switch
                {
                    0 => string.Create(CultureInfo.InvariantCulture, $"INV-{random.Next(10000, 99999)}"),
                    1 => string.Create(CultureInfo.InvariantCulture, $"${random.Next(1, 9999):N0}.{random.Next(100):00}"),
                    2 => string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 28):00}/{random.Next(1, 12):00}/2026"),
                    _ => Words[random.Next(Words.Length)],
                };
                if (random.Next(9) == 0)
                {
                    word = char.ToUpperInvariant(word[0]) + word[1..];
                }
                if (sb.Length + word.Length + 1 > perLine * 0.85)
                {
                    break;
                }
                sb.Append(sb.Length == 0 ? "" : " ").Append(word);
            }
            lines.Add(sb.ToString());
        }
        return lines;
    }

    /// <summary>A scanned look: warm paper, a 0.4–0.8° skew, a scanner's softness, sensor noise, then a q85 JPEG as a scanner or phone writes.</summary>
    private static byte[] Scan(byte[] png, int seed)
    {
        using var page = Image.NewFromBuffer(png);
        using var rgb = page.HasAlpha() ? page.Flatten(background: [255, 255, 255]) : page.Copy();
        using var tinted = rgb.Linear([0.97, 0.95, 0.89], [0, 0, 0]);
        using var skewed = tinted.Similarity(angle: 0.4 + (seed % 5 * 0.1), background: [247, 242, 227]);
        using var soft = skewed.Gaussblur(0.8);
        using var noise = Image.Gaussnoise(soft.Width, soft.Height, sigma: 7, mean: 0);
        using var noisy = soft + noise;
        using var cropped = noisy.Crop((noisy.Width - 2480) / 2, (noisy.Height - 3508) / 2, 2480, 3508);
        using var bytes = cropped.Cast(Enums.BandFormat.Uchar);
        return bytes.JpegsaveBuffer(q: 85);
    }

    /// <summary>The top-left corner of a page (a tenth of its width from the margin) as PNG, to look at with an image viewer.</summary>
    private static void Preview(byte[] encoded, string file, double scale)
    {
        using var image = Image.NewFromBuffer(encoded);
        var (x, y, w, h) = ((int)(140 * scale), (int)(130 * scale), (int)(900 * scale), (int)(500 * scale));
        using var corner = image.Crop(x, y, Math.Min(w, image.Width - x), Math.Min(h, image.Height - y));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, corner.PngsaveBuffer());
    }

    /// <summary>1 − (Levenshtein distance / known length) over whitespace-collapsed text, at least 0.</summary>
    internal static double Accuracy(string truth, string ocr)
    {
        static string Norm(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var a = Norm(truth);
        var b = Norm(ocr);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return Math.Max(0, 1 - ((double)previous[b.Length] / a.Length));
    }
}
