using System.Collections.Concurrent;
using BuildImages.Core.Imaging;

namespace BuildImages.Core.Build;

/// <summary>
/// What the photo jobs of one build share across worker threads: where photos are processed, the vision models their
/// savings are estimated for, the jobs stopped by an unreadable file (onError: stop), and the originals copied
/// unchanged (onError: copy-original), which prune keeps.
/// </summary>
internal sealed class PhotoRun(IPhotoProcessing processing, IReadOnlyList<VisionModel> visionModels)
{
    /// <summary>Photo job → the item whose file stopped it.</summary>
    private readonly ConcurrentDictionary<string, string> _stoppedBy = new(StringComparer.Ordinal);

    /// <summary>Record key → the path of its original, copied unchanged in this build.</summary>
    private readonly ConcurrentDictionary<string, string> _copiedOriginals = new(StringComparer.Ordinal);

    /// <summary>A build with no photo jobs: nothing is processed.</summary>
    internal static PhotoRun None => new(InProcessPhotos.Instance, []);

    internal IPhotoProcessing Processing => processing;

    internal IReadOnlyList<VisionModel> VisionModels => visionModels;

    internal bool IsStopped(string job, out string item) => _stoppedBy.TryGetValue(job, out item!);

    internal void Stop(string job, string item) => _stoppedBy.TryAdd(job, item);

    internal void CopiedOriginal(string recordKey, string path) => _copiedOriginals[recordKey] = path;

    internal string? OriginalCopyOf(string recordKey) => _copiedOriginals.GetValueOrDefault(recordKey);
}
