using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Text;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--font-scan [N]</c>: what every engine pays before its first card: the font catalog read from the shipped fonts
/// and the machine's font folders (as a build or the tool does), N times in this process (the first also pays the
/// JIT, as a fresh tool process does; none pays the disk, which the OS has cached). Prints each time, the median after
/// the first, the faces and files read, and the five files slowest to read on one thread.
/// </summary>
internal static class FontScanBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var n = int.Parse(args.ElementAtOrDefault(0) ?? "10", CultureInfo.InvariantCulture);
        var times = new List<double>();
        FontCatalog? catalog = null;
        for (var i = 0; i < n; i++)
        {
            var t = Stopwatch.GetTimestamp();
            catalog = new FontCatalog([], systemFonts: true, EngineOptions.ShippedFontFolder());
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var files = catalog!.Set.Faces.Select(f => f.File).Distinct().ToList();
        o.WriteLine("font scan ms: " + string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median after the first {BenchSupport.Median(times.Skip(1).ToList()):0.0} ms; {catalog.Set.Faces.Count} faces from {files.Count} files"));
        var perFile = files.Select(f =>
        {
            var t = Stopwatch.GetTimestamp();
            FontFileReader.Read(f);
            return (Ms: Stopwatch.GetElapsedTime(t).TotalMilliseconds, File: f);
        }).ToList();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one thread, file by file: {perFile.Sum(p => p.Ms):0.0} ms; slowest: ") +
            string.Join(", ", perFile.OrderByDescending(p => p.Ms).Take(5).Select(p => string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(p.File)} {p.Ms:0.0}"))));
        return 0;
    }
}
