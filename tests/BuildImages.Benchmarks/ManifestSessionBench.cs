using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Build;
using BuildImages.Core.Manifest;

namespace BuildImages.Benchmarks;

/// <summary>
/// The manifest as a build opens, changes and saves it, alone (the engine's own code: <see cref="ManifestSession"/>):
/// <c>--manifest-session FILE KEY</c> opens the manifest FILE (every record read, checked and kept, as a build that
/// plans reads it), changes the record KEY (its alt text), and saves as a build's end does: the JSON document written
/// whole, a database's changed row. Prints the time of each step and the peak memory; run it on a site the batch
/// bench made (<c>--batch dup N 200 DIR</c>, with <c>BI_BENCH_MANIFEST=site/.buildimages-manifest.db</c> for the
/// database), e.g. with KEY <c>blog:og/post-00007</c>. <c>--manifest-session export FROM TO</c> writes the manifest FROM as
/// TO in the other format (<see cref="ManifestExport"/>, what <c>manifest export</c> runs).
/// </summary>
internal static class ManifestSessionBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        if (args[0] == "export")
        {
            // export FROM TO: the manifest written in the other format (ManifestExport), as `manifest export` does.
            var watch = Stopwatch.StartNew();
            var (records, problems) = ManifestExport.Write(args[1], args[2]);
            using var process = Process.GetCurrentProcess();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"export {Path.GetFileName(args[1])} -> {Path.GetFileName(args[2])}: {records:N0} records, {problems.Count} warnings, {watch.Elapsed.TotalSeconds:0.00} s; {new FileInfo(args[2]).Length / 1048576.0:0} MiB; peak RSS {process.PeakWorkingSet64 / 1048576.0:0} MiB"));
            return 0;
        }
        var (file, key) = (args[0], args[1]);
        var journalFile = Path.Combine(Path.GetTempPath(), $"bi-session-bench-{Environment.ProcessId}.pending");
        var clock = Stopwatch.StartNew();
        using var journal = new OutputJournal(journalFile);
        var (session, warnings) = ManifestSession.Open(new ManifestStore(file), new StatCache(), journal);
        using var disposeSession = session;
        var opened = clock.Elapsed;
        if (!session.Records.TryGetValue(key, out var record))
        {
            o.WriteLine($"no record {key} in {file} ({warnings.Count} warnings)");
            return 1;
        }
        session.Set(record with { Alt = "Changed at " + DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        var changed = clock.Elapsed;
        session.SaveSettled();
        var saved = clock.Elapsed;
        File.Delete(journalFile);
        using var self = Process.GetCurrentProcess();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(file)}: open (every record read and checked) {opened.TotalSeconds:0.00} s, change one {(changed - opened).TotalMilliseconds:0} ms, save {(saved - changed).TotalSeconds:0.00} s; {warnings.Count} warnings; peak RSS {self.PeakWorkingSet64 / 1048576.0:0} MiB"));
        return 0;
    }
}
