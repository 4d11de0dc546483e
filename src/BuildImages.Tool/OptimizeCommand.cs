using System.CommandLine;
using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Tool;

/// <summary>
/// <c>optimize IN OUT</c>: right-sizes a folder of photos into another, as a one-job photos configuration made in
/// memory, so the manifest, --explain, pruning, the report and images.json are those of any build.
/// </summary>
internal static class OptimizeCommand
{
    internal static Command Create(ToolConsole console)
    {
        var input = new Argument<string>("IN") { Description = "the folder of photos (read recursively)" };
        var output = new Argument<string>("OUT") { Description = "the folder to write to (with its manifest and images.json)" };
        var preset = new Option<string>("--preset") { Description = "web, ai-ocr, ai-scene, ai-detect, ai-classify or ai-thumb", DefaultValueFactory = _ => "web" };
        var onError = new Option<string>("--on-error") { Description = "a file that cannot be read: fail (error, exit 1), stop, skip (warning), or copy-original (warning; the file is copied unchanged)", DefaultValueFactory = _ => "fail" };
        onError.AcceptOnlyFromAmong("fail", "stop", "skip", "copy-original");
        var report = new Option<string?>("--report") { Description = "write the JSON report to this file" };
        var explain = new Option<bool>("--explain") { Description = "say why each output is made" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only errors and warnings" };
        var force = new Option<bool>("--force") { Description = "make every output, whatever the manifest says" };
        var keepMetadata = new Option<bool>("--keep-metadata") { Description = "keep EXIF/XMP/ICC (orientation reset); stripped by default" };
        var command = new Command("optimize",
            """
            Right-size the photos in IN into OUT with a preset; unchanged outputs are skipped.

            IN/a/b.jpg becomes OUT/a/b-960.webp (a variant with a width) or OUT/a/b.jpg (one sized by its longest side).
            Exit codes: 0 all written, 1 some files failed (the rest are written), 2 usage error.
            Examples:
              dotnet build-images optimize wwwroot/photos wwwroot/img
              dotnet build-images optimize scans out/ocr --preset ai-ocr --report out/ocr.json
            """)
        {
            input, output, preset, onError, report, explain, quiet, force, keepMetadata,
        };
        command.SetAction(parsed =>
        {
            var inFolder = console.Full(parsed.GetValue(input)!);
            var outFolder = console.Full(parsed.GetValue(output)!);
            if (!Directory.Exists(inFolder))
            {
                throw ToolErrors.Usage($"'{inFolder}' is not a folder");
            }
            // Never a write target: OUT the same as IN would replace the photos with their thumbnails, and OUT inside IN
            // would be read back as photos by the next run (out/out/out/a.jpg). Links to either are caught by the planner.
            var (fullIn, fullOut) = (Path.TrimEndingDirectorySeparator(inFolder), Path.TrimEndingDirectorySeparator(outFolder));
            if (Inside(fullOut, fullIn) || Inside(fullIn, fullOut))
            {
                throw ToolErrors.Usage($"OUT ({outFolder}) must be a folder apart from IN ({inFolder}): not the same folder, not inside it, not containing it");
            }
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["outputDir"] = outFolder,
                ["tags"] = false,
                // The photos' own folder is where they may be read from; a link in it leading elsewhere is refused.
                ["assets"] = new[] { inFolder },
                ["jobs"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["name"] = "photos",
                        ["kind"] = "photos",
                        ["sources"] = Path.Combine(inFolder, "**", "*").Replace('\\', '/'),
                        ["preset"] = parsed.GetValue(preset)!,
                        ["onError"] = parsed.GetValue(onError)!,
                        ["keepMetadata"] = parsed.GetValue(keepMetadata),
                    },
                },
            });
            var config = ConfigLoader.Parse(json, Path.Combine(outFolder, ".buildimages-optimize.json"));
            var reporter = new ConsoleReporter(console, parsed.GetValue(quiet), parsed.GetValue(explain), dryRun: false);
            var (result, exitCode) = BuildCommand.RunInterruptible(config, new BuildOptions { Force = parsed.GetValue(force) }, reporter);
            if (parsed.GetValue(report) is { } reportFile)
            {
                AtomicFile.Write(console.Full(reportFile), result.WriteJson);
            }
            reporter.Finish(result, new ProcessTiming(ProcessClock.Elapsed.TotalMilliseconds, 0));
            return exitCode;
        });
        return command;
    }

    private static bool Inside(string path, string folder) =>
        string.Equals(path, folder, StringComparison.Ordinal) || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
