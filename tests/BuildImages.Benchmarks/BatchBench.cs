using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Native;

namespace BuildImages.Benchmarks;

/// <summary>
/// The batch build benchmark: <c>--batch cold N [DIR]</c> makes a site of N blog-post items × (WebP 1200, WebP 600,
/// JPEG 1200, JPEG 600) and builds it from nothing; <c>--batch noop DIR</c> builds an already built site again in this fresh
/// process; <c>--batch noop-full DIR</c> does the same without the up-to-date record (the full check); <c>--batch edit
/// DIR</c> changes one item's title (item 7's, adding or taking away "Edited ") and builds: the full check, one card
/// rendered, the manifest and images.json written again. Builds that touch every card: <c>--batch retitle DIR</c>
/// changes every item's title (adding or taking away "Retitled ": every card renders again, each for "data field
/// 'title' changed"); <c>--batch dry DIR</c> is a forced dry run (every output listed, nothing written);
/// <c>--batch prune DIR</c> keeps the first half of the items and builds (the other half's outputs pruned);
/// <c>--batch dup N DISTINCT DIR</c> makes N items of DISTINCT cards repeated, and <c>--batch shelved N DISTINCT DIR</c>
/// the same with each 250,000 items' outputs in a folder of their own (for four million items and more); with
/// <c>BI_BENCH_MANIFEST=FILE</c> set, a site made keeps its manifest there (a <c>.db</c>: the database). Each prints
/// wall time, peak resident memory, memory over time, and whether the native stack was loaded.
/// </summary>
internal static class BatchBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var mode = args.ElementAtOrDefault(0) ?? "cold";
        if (mode == "peer")
        {
            return PeerBench.Run(args[1..], o);
        }
        // dup N DISTINCT DIR: N items that are DISTINCT cards repeated (only the slug differs), built cold. shelved N
        // DISTINCT DIR: the same, each 250,000 items' outputs in a folder of their own (a million files), so builds of
        // four million items and more stay within what one ext4 folder without large_dir takes (about 16 million).
        var count = mode is "cold" or "dup" or "shelved" ? int.Parse(args.ElementAtOrDefault(1) ?? "1000", CultureInfo.InvariantCulture) : 0;
        var distinct = mode is "dup" or "shelved" ? int.Parse(args.ElementAtOrDefault(2) ?? "1000", CultureInfo.InvariantCulture) : count;
        var dir = args.ElementAtOrDefault(mode switch { "cold" => 2, "dup" or "shelved" => 3, _ => 1 }) ?? Path.Combine(Path.GetTempPath(), $"bi-bench-{count}");
        if (mode is "cold" or "dup" or "shelved")
        {
            MakeSite(dir, count, distinct, shelved: mode == "shelved");
            // The generated items are garbage now: collected here, so the build's memory is the build's own.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        var config = ConfigLoader.Load(Path.Combine(dir, "buildimages.json"));
        if (mode == "edit")
        {
            EditOneTitle(Path.Combine(dir, "posts.json"));
        }
        if (mode == "retitle")
        {
            RetitleAll(Path.Combine(dir, "posts.json"));
        }
        if (mode == "prune")
        {
            KeepFirstHalf(Path.Combine(dir, "posts.json"));
        }
        if (mode == "noop-full")
        {
            // Without the last build's up-to-date record: the full check (plan every item, read the manifest).
            File.Delete(BuildImages.Core.Manifest.UpToDateRecord.PathFor(config.ManifestFile));
        }
        var wall = Stopwatch.StartNew();
        using var memory = new MemoryTimeline(wall);
        var report = new BatchBuilder(config, mode == "dry" ? new BuildOptions { DryRun = true, Force = true } : null).Run();
        wall.Stop();
        memory.Dispose();
        using var self = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: {report.Rendered} rendered, {report.Deduplicated} copied, {report.Skipped} skipped, {report.Pruned} pruned, {report.Failed} failed{(report.UpToDate ? " (up to date, from the record)" : string.Empty)} in {wall.Elapsed.TotalSeconds:0.000} s wall; peak RSS {self.PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB (managed heap at the last GC {gc.HeapSizeBytes / 1024.0 / 1024.0:0} MiB, committed {gc.TotalCommittedBytes / 1024.0 / 1024.0:0} MiB); native loaded: {NativeStack.IsLoaded}"));
        o.WriteLine("stages (ms, summed over workers): " + string.Join(", ", report.Stages.Select(s => $"{s.Key} {s.Value:0}")));
        // A build that failed to write its bookkeeping (the manifest, images.json) still counts its outputs: its errors are
        // printed, or a broken run would look like a measured one.
        foreach (var error in report.Errors.Take(5))
        {
            o.WriteLine($"error {error.Code}: {error.Message} ({error.File})");
        }
        o.WriteLine($"site: {dir}");
        o.WriteLine("memory over time (s: RSS MiB / managed MiB): " + memory.Summary());
        // BI_BENCH_REPEAT=N builds N more times in this process: time without the first run's JIT compilation.
        var repeats = int.Parse(Environment.GetEnvironmentVariable("BI_BENCH_REPEAT") ?? "0", CultureInfo.InvariantCulture);
        for (var r = 0; r < repeats; r++)
        {
            var again = Stopwatch.StartNew();
            var repeated = new BatchBuilder(ConfigLoader.Load(Path.Combine(dir, "buildimages.json"))).Run();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"again: {again.Elapsed.TotalMilliseconds:0} ms, up to date: {repeated.UpToDate}; ") + string.Join(", ", repeated.Stages.Select(s => $"{s.Key} {s.Value:0}")));
        }
        return report.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Adds "Edited " to item 7's title, or takes it away, streaming the file through a small buffer (read whole, a
    /// million items' data would be counted in the build's peak).
    /// </summary>
    private static void EditOneTitle(string posts)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes("\"slug\":\"post-00007\",\"title\":\"");
        var edited = "Edited "u8.ToArray();
        var temp = posts + ".edit";
        using (var source = File.OpenRead(posts))
        using (var target = File.Create(temp))
        {
            var buffer = new byte[1 << 20];
            var kept = 0;
            var done = false;
            while (true)
            {
                var read = source.Read(buffer, kept, buffer.Length - kept);
                var length = kept + read;
                var at = done ? -1 : buffer.AsSpan(0, length).IndexOf(marker);
                if (at >= 0 && at + marker.Length + edited.Length <= length)
                {
                    var title = at + marker.Length;
                    target.Write(buffer, 0, title);
                    var skip = buffer.AsSpan(title, edited.Length).SequenceEqual(edited) ? edited.Length : 0;
                    if (skip == 0)
                    {
                        target.Write(edited);
                    }
                    target.Write(buffer, title + skip, length - title - skip);
                    kept = 0;
                    done = true;
                }
                else if (read == 0)
                {
                    target.Write(buffer, 0, length);
                    break;
                }
                else
                {
                    // Keep the tail that could hold the start of the marker and the title after it.
                    var tail = Math.Min(length, marker.Length + edited.Length);
                    target.Write(buffer, 0, length - tail);
                    Buffer.BlockCopy(buffer, length - tail, buffer, 0, tail);
                    kept = tail;
                }
            }
            if (!done)
            {
                throw new InvalidOperationException($"{posts} has no item post-00007 to edit");
            }
        }
        File.Move(temp, posts, overwrite: true);
    }

    /// <summary>
    /// Adds "Retitled " to every item's title, or takes it away from every one that has it, streaming the file through a
    /// small buffer (read whole, a million items' data would be counted in the build's peak).
    /// </summary>
    private static void RetitleAll(string posts)
    {
        var marker = "\"title\":\""u8.ToArray();
        var prefix = "Retitled "u8.ToArray();
        Rewrite(posts, marker.Length + prefix.Length, (chunk, last, target) =>
        {
            // Every marker whose title is wholly in the chunk is handled; what may hold a marker cut in two is kept.
            var done = 0;
            for (var at = chunk.IndexOf(marker); at >= 0; at = chunk[done..].IndexOf(marker) is var next and >= 0 ? done + next : -1)
            {
                var title = at + marker.Length;
                if (!last && title + prefix.Length > chunk.Length)
                {
                    break;
                }
                target.Write(chunk[done..title]);
                var has = chunk[title..].StartsWith(prefix);
                if (!has)
                {
                    target.Write(prefix);
                }
                done = has ? title + prefix.Length : title;
            }
            var keep = last ? 0 : Math.Min(chunk.Length - done, marker.Length + prefix.Length);
            target.Write(chunk[done..(chunk.Length - keep)]);
            return keep;
        });
    }

    /// <summary>
    /// Keeps the first half of the items of the JSON array <paramref name="posts"/> (as <see cref="MakeSite"/> writes it:
    /// items separated by <c>},{"slug":</c>), streaming: the separators are counted, then the array is closed after the
    /// item before the middle one. A chunk keeps fewer bytes than a separator for the next, so none is seen twice.
    /// </summary>
    private static void KeepFirstHalf(string posts)
    {
        var separator = "},{\"slug\":"u8.ToArray();
        var keep = separator.Length - 1;
        var separators = 0L;
        Rewrite(posts, keep, (chunk, last, _) =>
        {
            separators += System.MemoryExtensions.Count(chunk, separator);
            return last ? 0 : Math.Min(chunk.Length, keep);
        }, dryRun: true);
        // Items are separators + 1: the first half of them ends at separator number (items / 2).
        var cutAt = (separators + 1) / 2;
        var seen = 0L;
        var cut = false;
        Rewrite(posts, keep, (chunk, last, target) =>
        {
            if (cut)
            {
                return 0;
            }
            for (var at = chunk.IndexOf(separator); at >= 0; at = chunk[(at + 1)..].IndexOf(separator) is var next and >= 0 ? at + 1 + next : -1)
            {
                if (++seen == cutAt)
                {
                    target.Write(chunk[..(at + 1)]);
                    target.Write("]"u8);
                    cut = true;
                    return 0;
                }
            }
            var kept = last ? 0 : Math.Min(chunk.Length, keep);
            target.Write(chunk[..(chunk.Length - kept)]);
            return kept;
        });
    }

    /// <summary>
    /// Streams <paramref name="file"/> through <paramref name="rewrite"/> a chunk at a time into a temp file that then
    /// replaces it: given a chunk (the bytes it kept last time, then what was read), whether it is the last, and the
    /// target, it writes what it is done with and returns how many bytes at the chunk's end to keep for the next.
    /// </summary>
    private static void Rewrite(string file, int overlap, ChunkRewrite rewrite, bool dryRun = false)
    {
        var temp = file + ".rewrite";
        using (var source = File.OpenRead(file))
        using (var target = dryRun ? Stream.Null : File.Create(temp))
        {
            var buffer = new byte[(1 << 20) + overlap];
            var kept = 0;
            while (true)
            {
                var read = source.Read(buffer, kept, buffer.Length - kept);
                var length = kept + read;
                var keep = rewrite(buffer.AsSpan(0, length), read == 0, target);
                Buffer.BlockCopy(buffer, length - keep, buffer, 0, keep);
                kept = keep;
                if (read == 0)
                {
                    break;
                }
            }
        }
        if (!dryRun)
        {
            File.Move(temp, file, overwrite: true);
        }
    }

    private delegate int ChunkRewrite(ReadOnlySpan<byte> chunk, bool last, Stream target);

    private static void MakeSite(string dir, int count, int distinct, bool shelved)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        var repo = BenchSupport.RepoRoot();
        File.Copy(Path.Combine(repo, "samples", "blog-post", "assets", "logo.svg"), Path.Combine(dir, "logo.svg"));
        var random = new Random(42);
        string[] words = ["build", "time", "images", "cache", "render", "once", "social", "cards", "dotnet", "pango", "cairo", "vips", "fast", "manifest", "hash", "skip"];
        var titles = Enumerable.Range(0, Math.Max(1, distinct)).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(4, 14)).Select(_ => words[random.Next(words.Length)]))).ToList();
        // Written a block at a time: made whole in memory (a JsonArray, then one string), the items left their buffers in
        // the shared array pool, which the build then counted as its own (512 MiB at a million items).
        using (var file = File.Create(Path.Combine(dir, "posts.json")))
        using (var w = new Utf8JsonWriter(file))
        {
            w.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                var title = titles[i % titles.Count];
                w.WriteStartObject();
                w.WriteString("slug", $"post-{i:D5}");
                w.WriteString("title", char.ToUpperInvariant(title[0]) + title[1..]);
                w.WriteString("description", "A benchmark post about rendering cards once, at build time.");
                w.WriteString("author", "Bench Author");
                w.WriteString("date", "2026-11-22");
                w.WriteStartArray("tags");
                w.WriteStringValue("bench");
                w.WriteEndArray();
                w.WriteString("logo", "logo.svg");
                w.WriteString("site", "Bench Blog");
                if (shelved)
                {
                    w.WriteString("shelf", $"s{i / 250_000}");
                }
                w.WriteEndObject();
                if (w.BytesPending > 1 << 16)
                {
                    w.Flush();
                }
            }
            w.WriteEndArray();
        }
        var config = JsonNode.Parse(shelved ? Config.Replace("og/{{ slug }}", "og/{{ shelf }}/{{ slug }}", StringComparison.Ordinal) : Config)!.AsObject();
        // BI_BENCH_MANIFEST=FILE: the manifest there (relative to the site), e.g. out/.buildimages-manifest.db for the database.
        if (Environment.GetEnvironmentVariable("BI_BENCH_MANIFEST") is { Length: > 0 } manifest)
        {
            config["manifest"] = manifest;
        }
        File.WriteAllText(Path.Combine(dir, "buildimages.json"), config.ToJsonString());
    }

    private const string Config =
            """
            {
              "outputDir": "site",
              "baseUrl": "https://example.com/",
              "jobs": [ {
                "name": "blog", "template": "blog-post", "size": "1200x630", "data": "posts.json", "output": "og/{{ slug }}",
                "variants": [
                  { "format": "webp", "width": 1200, "quality": 80 },
                  { "format": "webp", "width": 600 },
                  { "format": "jpeg", "width": 1200, "quality": 82, "maxBytes": 300000 },
                  { "format": "jpeg", "width": 600, "quality": 82 }
                ]
              } ]
            }
            """;
}
