using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// What every worker of one build (card, photo, copier) renders against and reports to: the engine stamp and key paths
/// keys are made with, the file hashes, the open manifest, the log, the stage clock and the output writer. Collaborators
/// only; each keeps its own state. <see cref="Cache"/> is the remote cache (null: none); <see cref="RequireCached"/>: take
/// outputs from it only, render nothing.
/// </summary>
internal sealed record WorkerContext(string EngineStamp, KeyPaths Paths, FileHashCache Hashes, ManifestSession Manifest, BuildLog Log, StageClock Clock, OutputWriter Writer, Caching.OutputCache? Cache = null, bool RequireCached = false)
{
    /// <summary>The output under <paramref name="key"/> from the remote cache, or null to make it here; under <c>--require-cached</c> a miss fails the item (BI0038).</summary>
    internal Caching.CachedOutput? Fetch(string key, PlannedVariant variant) =>
        Cache?.TryFetch(key) ?? (RequireCached
            ? throw Diagnostics.BuildInputException.Error(Diagnostics.DiagnosticCodes.NotInRemoteCache, $"{variant.Path} is not in the remote cache (output key {key[..12]}…), and this build takes outputs from it only (--require-cached): build the shard that holds its item first")
            : null);
}
