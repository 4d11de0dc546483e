using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// Writes one output file atomically under its final name (with the content hash in it when <c>cacheBust</c> is
/// <c>filename</c>), records its time in the stat cache, and removes the file it replaces under another name. The file is
/// flushed with the rest of its batch (<see cref="DurableBatch"/>) before a manifest names it.
/// </summary>
internal sealed class OutputWriter(BuildConfig config, StatCache stats, OutputFolder folder, DurableBatch durable)
{
    internal (string File, string Sha256) Write(string path, byte[] bytes, VariantRecord? previous)
    {
        if (folder.Escape(path) is { } escape)
        {
            // The planner refuses such jobs; a link made while the build runs still must not be written through.
            throw CardException.Error(DiagnosticCodes.OutputThroughLink, escape);
        }
        var sha = ContentHash.Of(bytes);
        var file = config.CacheBust == CacheBust.FileName ? HashedName(path, sha) : path;
        var full = System.IO.Path.Combine(config.OutputDirectory, file);
        AtomicFile.WriteUnflushed(full, bytes);
        durable.Written(full);
        stats.OutputTimes[file] = File.GetLastWriteTimeUtc(full).Ticks;
        if (previous is not null && previous.File != file && folder.Escape(previous.File) is null)
        {
            File.Delete(System.IO.Path.Combine(config.OutputDirectory, previous.File));
        }
        return (file, sha);
    }

    private static string HashedName(string path, string sha)
    {
        var ext = System.IO.Path.GetExtension(path);
        return $"{path[..^ext.Length]}.{sha[..10]}{ext}";
    }
}
