using System.Collections.Concurrent;

namespace BuildImages.Core.Primitives;

/// <summary>
/// The output folder as the file system resolves it. outputDir itself may be a link (a cache mount, say), but a
/// folder below it that is a link leading elsewhere is refused: BuildImages never writes or deletes through one,
/// so a link planted in the output folder cannot turn a build or a prune into writes elsewhere on the machine.
/// </summary>
internal sealed class OutputFolder(string outputDirectory)
{
    private readonly Lazy<string?> _root = new(() => RealPath.Of(outputDirectory));
    private readonly ConcurrentDictionary<string, string?> _folders = new(StringComparer.Ordinal);

    /// <summary>
    /// Why writing or deleting <paramref name="relativePath"/> (a checked output path, '/' separated) would leave
    /// the output folder, or null when its folder resolves inside it. Answers are kept per folder for the build.
    /// </summary>
    internal string? Escape(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return EscapeOfFolder(slash < 0 ? string.Empty : relativePath[..slash]);
    }

    /// <summary>As <see cref="Escape"/>, for a folder relative to the output folder ('/' separated; empty: the output folder itself).</summary>
    internal string? EscapeOfFolder(string relativeFolder) => _folders.GetOrAdd(relativeFolder, Check);

    /// <summary>
    /// Creates the folder and a probe file in it, once, before any card is drawn: a read-only or unmountable output
    /// folder would otherwise cost every card its draw and encode before each failed at the write.
    /// </summary>
    internal void EnsureWritable(string? configFile)
    {
        try
        {
            System.IO.Directory.CreateDirectory(outputDirectory);
            var probe = Path.Combine(outputDirectory, $".buildimages-probe.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}{AtomicFile.TempSuffix}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Diagnostics.BuildInputException.Error(Diagnostics.DiagnosticCodes.WriteFailed, $"outputDir '{outputDirectory}' is not writable ({ex.Message}); nothing was rendered", configFile);
        }
    }

    private string? Check(string folder)
    {
        if (folder.Length == 0)
        {
            return null;
        }
        var root = _root.Value;
        var real = RealPath.Of(Path.Combine(outputDirectory, folder));
        if (root is null || real is null)
        {
            return $"'{folder}' cannot be resolved (symbolic links loop); BuildImages writes only inside outputDir";
        }
        return RealPath.IsInside(real, root) ? null
            : $"'{folder}' leads outside outputDir through a symbolic link (to {real}); BuildImages writes and deletes only inside outputDir";
    }
}
