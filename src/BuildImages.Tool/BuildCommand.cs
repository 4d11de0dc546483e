using System.CommandLine;
using BuildImages.Core.Build;
using BuildImages.Core.Caching;
using BuildImages.Core.Imaging;
using BuildImages.Core.Configuration;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Tool;

/// <summary><c>build</c> (also the default command): the batch build of a configuration.</summary>
internal static class BuildCommand
{
    internal static readonly Option<string> Config = new("--config", "-c") { Description = "the configuration file", DefaultValueFactory = _ => ConfigLoader.DefaultFileName };

    internal static Command Create(ToolConsole console)
    {
        var force = new Option<bool>("--force") { Description = "render every output, whatever the manifest says" };
        var explain = new Option<bool>("--explain") { Description = "say why each output is rendered (new item, field changed, file changed, ...)" };
        var report = new Option<string?>("--report") { Description = "write the JSON report to this file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "check only: list what would be rendered, write nothing" };
        var jobs = new Option<string[]>("--jobs") { Description = "only these jobs", AllowMultipleArgumentsPerToken = true };
        var parallel = new Option<int>("--parallel") { Description = "worker threads (default: one per core)" };
        parallel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--parallel must be 0 (one per core) or more");
            }
        });
        var strict = new Option<bool>("--strict") { Description = "missing variables and uncovered characters are errors" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only errors and warnings" };
        var output = new Option<string?>("--out") { Description = "write outputs here instead of the configuration's outputDir" };
        var noPrune = new Option<bool>("--no-prune") { Description = "keep outputs of items that are gone" };
        var checkpoint = new Option<double?>("--checkpoint") { Description = "save the manifest every N seconds while rendering (default 3; a killed build keeps what it recorded)" };
        var cache = new Option<string?>("--cache") { Description = $"a remote cache's URL (Bazel HTTP cache protocol; default: ${RemoteCacheOptions.UrlVariable}); credentials only from the environment (docs/remote-cache.md)" };
        var cacheReadOnly = new Option<bool>("--cache-read-only") { Description = "fetch from the remote cache, never upload (pull-request builds)" };
        var requireCached = new Option<bool>("--require-cached") { Description = "take every output from the remote cache and render nothing; a missing one fails its item (assembling a site its shards built)" };
        var shard = new Option<string?>("--shard") { Description = "build part k of n of the items (k/n, or auto: from the CI or batch engine's variables); needs a remote cache to assemble" };
        checkpoint.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is <= 0 or > 86_400)
            {
                r.AddError("--checkpoint must be more than 0 and at most 86400 seconds");
            }
        });
        var command = new Command("build",
            """
            Render every job of the configuration; unchanged outputs are skipped.

            Exit codes: 0 all written, 1 some items failed (the rest are written), 2 configuration or usage error, 130 cancelled (Ctrl-C), 143 stopped by SIGTERM, 70 internal error.
            Examples:
              dotnet build-images build
              dotnet build-images build --config site/buildimages.json --explain --report out/report.json
              dotnet build-images build --jobs blog products --parallel 4
            """)
        {
            Config, force, explain, report, dryRun, jobs, parallel, strict, quiet, output, noPrune, checkpoint, cache, cacheReadOnly, requireCached, shard,
        };
        command.SetAction(parsed =>
        {
            var config = ConfigLoader.Load(console.Full(parsed.GetValue(Config)!), parsed.GetValue(output) is { } o ? console.Full(o) : null);
            var options = new BuildOptions
            {
                Force = parsed.GetValue(force),
                DryRun = parsed.GetValue(dryRun),
                Jobs = parsed.GetValue(jobs) is { Length: > 0 } names ? names : null,
                Parallelism = parsed.GetValue(parallel),
                Strict = parsed.GetValue(strict),
                Prune = parsed.GetValue(noPrune) ? false : null,
            };
            if (parsed.GetValue(checkpoint) is { } seconds)
            {
                options = options with { CheckpointInterval = TimeSpan.FromSeconds(seconds) };
            }
            options = WithCacheAndShard(options, config, parsed.GetValue(cache), parsed.GetValue(cacheReadOnly), parsed.GetValue(requireCached), parsed.GetValue(shard));
            var reporter = new ConsoleReporter(console, parsed.GetValue(quiet), parsed.GetValue(explain), options.DryRun);
            var (result, exitCode) = RunInterruptible(config, options, reporter);
            var reportTime = System.Diagnostics.Stopwatch.StartNew();
            if (parsed.GetValue(report) is { } reportFile)
            {
                AtomicFile.Write(console.Full(reportFile), result.WriteJson);
            }
            // The summary comes last so its time covers the whole process: start-up, the build and the report.
            reporter.Finish(result, new ProcessTiming(ProcessClock.Elapsed.TotalMilliseconds, reportTime.Elapsed.TotalMilliseconds));
            return exitCode;
        });
        return command;
    }

    /// <summary>The remote cache (flag, else environment) and the shard (k/n, or auto from the engine's variables); a value that cannot be used is a usage error.</summary>
    internal static BuildOptions WithCacheAndShard(BuildOptions options, BuildConfig config, string? cacheUrl, bool readOnly, bool requireCached, string? shardText)
    {
        try
        {
            var remote = RemoteCacheOptions.FromEnvironment(Environment.GetEnvironmentVariable, cacheUrl, readOnly || config.CacheReadOnly, config.CacheUrl);
            if (remote is null && (requireCached || readOnly))
            {
                throw new ArgumentException($"{(requireCached ? "--require-cached" : "--cache-read-only")} needs a remote cache: --cache URL, {RemoteCacheOptions.UrlVariable} or \"cache\" in the configuration");
            }
            Shard? shard = shardText is null ? null : Shard.Resolve(shardText, Environment.GetEnvironmentVariable, "--shard");
            return options with { RemoteCache = remote, RequireCached = requireCached, Shard = shard };
        }
        catch (ArgumentException ex)
        {
            throw ToolErrors.Usage(ex.Message);
        }
    }

    /// <summary>The hidden command a photo sandbox process runs.</summary>
    internal const string PhotoSandboxCommand = "__photo-sandbox";

    /// <summary>Set to 1 to right-size photos in the build's own process (faster start, no crash containment).</summary>
    internal const string NoSandboxVariable = "BUILDIMAGES_NO_SANDBOX";

    /// <summary>Runs the build; Ctrl-C or SIGTERM stops taking new items, what is in flight finishes and is recorded (see <see cref="Interruption"/>).</summary>
    internal static (BuildReport Report, int ExitCode) RunInterruptible(BuildConfig config, BuildOptions options, IBuildObserver observer)
    {
        using var interruption = new Interruption();
        // Photos are untrusted files: a decoder that crashes on one takes down a sandbox process, not the build.
        using var sandbox = options.PhotoProcessing is null && config.Jobs.Any(j => j.Photos is not null) && Environment.GetEnvironmentVariable(NoSandboxVariable) != "1"
            ? PhotoSandbox.Of(typeof(BuildCommand).Assembly.Location, PhotoSandboxCommand)
            : null;
        var report = new BatchBuilder(config, sandbox is null ? options : options with { PhotoProcessing = sandbox }, observer).Run(interruption.Token);
        return (report, report.Cancelled ? interruption.ExitCode : report.Failed > 0 ? ExitCodes.ItemsFailed : ExitCodes.Success);
    }
}
