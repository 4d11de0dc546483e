using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Text;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--font-mutations N [SEED]</c>: damages copies of the test fonts (TTF, CFF, colour, WOFF, WOFF2, variable) N
/// times, each by truncation or a few changed bytes (a third of them in the first KB, where the table directory is),
/// puts each alone in a project font folder and draws a card with it. Every outcome must be a font refused when the
/// folder is read (BI0402), a card failed with a located error, or a card drawn: anything else (an exception of
/// ours, which a build reports as BI0009, or a crash of this process) is a bug, and the file is kept to reproduce it.
/// Prints the count of each outcome; exits 1 when any is a bug.
/// </summary>
internal static class FontMutationRun
{
    internal static int Run(string[] args, TextWriter o)
    {
        var count = int.Parse(args.ElementAtOrDefault(0) ?? "300", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(args.ElementAtOrDefault(1) ?? "1", CultureInfo.InvariantCulture));
        var fonts = Path.Combine(BenchSupport.RepoRoot(), "tests", "Fonts");
        string[] seeds = ["pinned/Inter-Regular.otf", "pinned/NotoSansThai-Regular.ttf", "pinned/NotoSansArabic-Regular.ttf", "pinned/NotoColorEmoji-subset.ttf",
            "woff/pacifico-latin-400-normal.woff", "woff2/pacifico-latin-400-normal.woff2", "variable/recursive-latin-wght-normal.woff2"];
        var root = Directory.CreateTempSubdirectory("bi-font-mutations-").FullName;
        var card = Path.Combine(root, "card.sbn");
        File.WriteAllText(card, """<card width="300" height="120" background="#fff" color="#000" font-family="{{ family }}"><text font-size="24" max-lines="2">Hello wörld สวัสดีครับ مرحبا 😀 fi ffi</text></card>""");
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bugs = 0;
        for (var i = 0; i < count; i++)
        {
            var seed = Path.Combine(fonts, seeds[random.Next(seeds.Length)]);
            var bytes = File.ReadAllBytes(seed);
            var mode = random.Next(4);
            if (mode == 0)
            {
                bytes = bytes[..random.Next(1, bytes.Length)];
            }
            for (var f = random.Next(1, 12); f > 0; f--)
            {
                var at = random.Next(3) == 0 ? random.Next(Math.Min(bytes.Length, 1024)) : random.Next(bytes.Length);
                bytes[at] = mode == 2 ? (byte)0xFF : (byte)random.Next(256);
            }
            var folder = Directory.CreateDirectory(Path.Combine(root, $"f{i}")).FullName;
            var file = Path.Combine(folder, "font" + Path.GetExtension(seed));
            File.WriteAllBytes(file, bytes);
            string outcome;
            try
            {
                using var engine = new CardEngine(new EngineOptions { TemplateRoots = [root], FontFolders = [folder], SystemFonts = false });
                var family = FontFileReader.Read(file).FirstOrDefault()?.Family ?? "none";
                using var renderer = engine.CreateRenderer();
                using var prepared = renderer.Prepare(card, new Dictionary<string, object?> { ["family"] = family }, new CardSize(300, 120));
                _ = prepared.DrawAtWidth(300);
                outcome = "drawn";
            }
            catch (BuildInputException ex)
            {
                outcome = $"{ex.Diagnostic.Code} ({(ex.Diagnostic.Message.Contains("cannot be read as a font", StringComparison.Ordinal) ? "folder read" : "card failed")})";
            }
            catch (Exception ex)
            {
                outcome = "bug: " + ex.GetType().Name;
                bugs++;
                File.Copy(file, Path.Combine(root, $"bug-{i}{Path.GetExtension(seed)}"));
                o.WriteLine($"{i} ({Path.GetFileName(seed)}): {ex}");
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            Directory.Delete(folder, recursive: true);
        }
        o.WriteLine($"{count} damaged fonts: " + string.Join(", ", outcomes.Select(kv => $"{kv.Key} {kv.Value}")));
        if (bugs == 0)
        {
            Directory.Delete(root, recursive: true);
        }
        else
        {
            o.WriteLine($"kept to reproduce: {root}");
        }
        return bugs == 0 ? 0 : 1;
    }
}
