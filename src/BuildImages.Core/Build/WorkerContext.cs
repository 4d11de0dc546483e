using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// What every worker of one build (card, photo, copier) renders against and reports to: the engine stamp and key paths
/// keys are made with, the file hashes, the open manifest, the log, the stage clock and the output writer. Collaborators
/// only; each keeps its own state. <see cref="Cache"/> is the remote cache (null: none); <see cref="RequireCached"/>: take
/// outputs from it only, render nothing.
/// </summary>
internal sealed record WorkerContext(string EngineStamp, KeyPaths Paths, FileHashCache Hashes, ManifestSession Manifest, BuildLog Log, StageClock Clock, OutputWriter Writer, Caching.OutputCache? Cache = null, bool RequireCached = false);
