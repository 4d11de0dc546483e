using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Writes one output file atomically under its final name (with the content hash in it when <c>cacheBust</c> is
/// <c>filename</c>), records its time in the stat cache, and removes the file it replaces under another name. The file is
/// flushed with the rest of its batch (<see cref="DurableBatch"/>) before a manifest names it, and noted in the
/// <see cref="OutputJournal"/> before it takes its name, so a build killed before its manifest is saved leaves no file
/// that no build would ever remove.
/// </summary>
internal sealed class OutputWriter(BuildConfig config, StatCache stats, OutputFolder folder, DurableBatch durable, OutputJournal journal)
{
    /// <summary>Writes a copy of an output already written in this build (its file and hash), as a link where the file system allows.</summary>
    internal string Copy(string recordKey, string path, string sourceFile, string sha, VariantRecord? previous)
    {
        CheckInside(path);
        var file = config.CacheBust == CacheBust.FileName ? HashedName(path, sha) : path;
        var full = System.IO.Path.Combine(config.OutputDirectory, file);
        var source = System.IO.Path.Combine(config.OutputDirectory, sourceFile);
        journal.Writing(recordKey, file, new FileInfo(source).Length, sha);
        AtomicFile.LinkOrCopyUnflushed(source, full);
        Finish(file, full, previous);
        return file;
    }

    internal (string File, string Sha256) Write(string recordKey, string path, byte[] bytes, VariantRecord? previous)
    {
        CheckInside(path);
        var sha = ContentHash.Of(bytes);
        var file = config.CacheBust == CacheBust.FileName ? HashedName(path, sha) : path;
        var full = System.IO.Path.Combine(config.OutputDirectory, file);
        journal.Writing(recordKey, file, bytes.Length, sha);
        AtomicFile.WriteUnflushed(full, bytes);
        Finish(file, full, previous);
        return (file, sha);
    }

    /// <summary>The full path an output path is written to (before a hash is added to its name).</summary>
    internal string Target(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(config.OutputDirectory, path));

    private void CheckInside(string path)
    {
        if (folder.Escape(path) is { } escape)
        {
            // The planner refuses such jobs; a link made while the build runs still must not be written through.
            throw BuildInputException.Error(DiagnosticCodes.OutputThroughLink, escape);
        }
    }

    private void Finish(string file, string full, VariantRecord? previous)
    {
        durable.Written(full);
        stats.OutputTimes.Set(file, File.GetLastWriteTimeUtc(full).Ticks);
        if (previous is not null && previous.File != file && folder.Escape(previous.File) is null)
        {
            File.Delete(System.IO.Path.Combine(config.OutputDirectory, previous.File));
        }
    }

    private static string HashedName(string path, string sha)
    {
        var ext = System.IO.Path.GetExtension(path);
        return $"{path[..^ext.Length]}.{sha[..10]}{ext}";
    }
}
