using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BuildImages.Tasks;

/// <summary>
/// The MSBuild front: maps its parameters to one build of the engine and the engine's events to MSBuild errors,
/// warnings and messages (raised on the task's thread), and lists what the build wrote. No engine logic here.
/// </summary>
public sealed class RenderSocialImages : ConfigTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>Where the manifest lives (the intermediate folder by default, so `dotnet clean` removes it).</summary>
    public string? ManifestFile { get; set; }

    /// <summary>How long to wait for another build writing to the same output folder before failing (BI0035).</summary>
    public int LockTimeoutSeconds { get; set; } = 600;

    /// <summary>Render every output whatever the manifest says.</summary>
    public bool Force { get; set; }

    /// <summary>Build one part of the items (<c>k/n</c>, or <c>auto</c> from the CI or batch engine's variables), as the tool's <c>--shard</c>: <c>BuildImagesShard</c>.</summary>
    public string? Shard { get; set; }

    /// <summary>Take every output from the remote cache and render nothing (the assembling build after shards): <c>BuildImagesRequireCached</c>.</summary>
    public bool RequireCached { get; set; }

    /// <summary>Every output and images.json, with PublishRelativePath.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    /// <summary>
    /// Every file the cards were made from (templates and includes, fonts, images, data files), from the manifest:
    /// the target lists them as its inputs next time, so a template or font outside the project still runs the render.
    /// </summary>
    [Output]
    public ITaskItem[] InputFiles { get; private set; } = [];

    /// <summary>The manifest and its machine-local caches.</summary>
    [Output]
    public ITaskItem[] BookkeepingFiles { get; private set; } = [];

    public void Cancel() => _cancel.Cancel();

    private TaskConfig? _setup;

    /// <summary>
    /// The remote cache the environment or the configuration names (BUILDIMAGES_CACHE_URL and its companions, as for the
    /// tool) and the shard; a value that cannot be used is a configuration error naming the property or variable.
    /// </summary>
    private BuildOptions WithCacheAndShard(BuildOptions options, BuildConfig config)
    {
        try
        {
            var remote = Core.Caching.RemoteCacheOptions.FromEnvironment(Environment.GetEnvironmentVariable, readOnly: config.CacheReadOnly, configured: config.CacheUrl);
            if (remote is null && RequireCached)
            {
                throw new ArgumentException($"BuildImagesRequireCached needs a remote cache: {Core.Caching.RemoteCacheOptions.UrlVariable} or \"cache\" in the configuration");
            }
            var shard = string.IsNullOrWhiteSpace(Shard) ? (Core.Planning.Shard?)null : Core.Planning.Shard.Resolve(Shard, Environment.GetEnvironmentVariable, "BuildImagesShard");
            return options with { RemoteCache = remote, RequireCached = RequireCached, Shard = shard };
        }
        catch (ArgumentException ex)
        {
            throw BuildInputException.For(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ConfigValue, ex.Message));
        }
    }

    public override bool Execute()
    {
        try
        {
            var setup = _setup = Setup(ManifestFile);
            var config = setup.Load();
            var observer = new QueuedObserver();
            var run = System.Threading.Tasks.Task.Run(() => new BatchBuilder(config, WithCacheAndShard(new BuildOptions { Force = Force, ListFiles = true, LockTimeout = TimeSpan.FromSeconds(Math.Max(0, LockTimeoutSeconds)) }, config), observer).Run(_cancel.Token));
            // Workers report from their threads; MSBuild wants its log written from the task's thread.
            // WaitAny, not Wait: Wait throws a faulted task's error wrapped, which hid a located error behind BI0009.
            // The render is long and needs nothing of the node: yield it, so MSBuild can build other projects meanwhile
            // (as ToolTask does while its tool runs). The engine uses full paths only, never the working directory.
            var engine = BuildEngine as IBuildEngine3;
            engine?.Yield();
            try
            {
                while (System.Threading.Tasks.Task.WaitAny([run], 50) < 0)
                {
                    observer.Drain(this);
                }
            }
            finally
            {
                engine?.Reacquire();
            }
            observer.Drain(this);
            var report = run.GetAwaiter().GetResult();
            // One line at default verbosity; the engine's whole summary at normal, one line per output at detailed.
            Log.LogMessage(MessageImportance.High, "BuildImages: " + report.OneLine());
            Log.LogMessage(MessageImportance.Normal, "BuildImages: " + report.Summary().Split('\n')[0]);
            // What the manifest names now, from the build itself (never read back from disk).
            WrittenFiles = Written(setup, config, report);
            InputFiles = [.. report.InputFiles.Where(File.Exists).Select(f => (ITaskItem)new TaskItem(f))];
            BookkeepingFiles = Core.Build.BookkeepingFiles.Of(config.ManifestFile)
                .Where(File.Exists).Select(f => (ITaskItem)new TaskItem(f)).ToArray();
            if (report.Cancelled)
            {
                Log.LogWarning("BuildImages: cancelled; what finished is written and recorded");
            }
        }
        catch (BuildInputException ex)
        {
            Report(ex.Diagnostic);
        }
        catch (Core.Native.NativeDependencyException ex)
        {
            Log.LogError(null, DiagnosticCodes.NativeLibrariesMissing, null, ConfigFile, 0, 0, 0, 0, ex.Message);
        }
        catch (Exception ex)
        {
            // Never the build node: one error, with what it was.
            Log.LogError(null, DiagnosticCodes.InternalError, null, ConfigFile, 0, 0, 0, 0, InternalError.Describe(ex, "building the images"));
        }
        return !Log.HasLoggedErrors;
    }

    internal void Report(Diagnostic d)
    {
        // A position in the configuration composed from items is put back where the user wrote it.
        d = _setup?.Locate(d) ?? d;
        if (d.Code == DiagnosticCodes.RelativeTagUrls && !string.IsNullOrEmpty(WebRoot))
        {
            // A web project's pages make the URLs absolute from the request (BuildImages.AspNetCore): nothing to warn about.
            Detail("BuildImages: " + d.Message);
            return;
        }
        var message = d.Item is not null ? $"{d.Message} [item {d.Item}]" : d.Message;
        if (d.Severity == DiagnosticSeverity.Error)
        {
            Log.LogError(null, d.Code, null, d.File ?? ConfigFile, d.Line, d.Column, 0, 0, Printable.Of(message));
        }
        else
        {
            Log.LogWarning(null, d.Code, null, d.File ?? ConfigFile, d.Line, d.Column, 0, 0, Printable.Of(message));
        }
    }

    internal void Detail(string text) => Log.LogMessage(MessageImportance.Low, Printable.Of(text));

    /// <summary>Shown at normal verbosity: waiting for another build is something the user should know.</summary>
    internal void Notice(string text) => Log.LogMessage(MessageImportance.High, "BuildImages: " + Printable.Of(text));

    /// <summary>Every output the manifest records (by the file actually written, so hashed names under cacheBust: filename too) and images.json.</summary>
    private static ITaskItem[] Written(TaskConfig setup, BuildConfig config, BuildReport report) =>
        report.RecordedFiles.Select(f => Path.Combine(config.OutputDirectory, f))
            .Append(config.MetadataFile)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(f => setup.Written(config, f))
            .ToArray();
}
