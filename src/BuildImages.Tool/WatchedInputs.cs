using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Primitives;

namespace BuildImages.Tool;

/// <summary>
/// What <c>preview --watch</c> watches: the configuration, templates, assets, fonts and data, and nothing a build
/// or the preview itself writes (outputs, the manifest and its caches, images.json, temp files). A build running
/// beside the watcher used to re-render the preview 20 times in 16 s with no input changed.
/// </summary>
internal static class WatchedInputs
{
    private static readonly HashSet<string> OutputExtensions = new([".webp", ".jpg", ".jpeg", ".png", ".avif"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Names, sizes and times of every file that decides the preview.</summary>
    internal static string Stamp(BuildConfig config, string previewFolder)
    {
        var files = new List<string> { config.ConfigFile };
        var dirs = config.TemplateRoots.Concat(config.AssetRoots).Concat(config.FontFolders)
            .Concat(config.Jobs.Select(j => j.Template).Where(t => t.Contains('/', StringComparison.Ordinal)).Select(t => Path.Combine(config.BaseDirectory, t)))
            .Concat(config.Jobs.Where(j => j.Data is not null).Select(j => DataFolder(config.BaseDirectory, j.Data!)));
        var written = new Written(config, previewFolder);
        foreach (var dir in dirs.Where(Directory.Exists).Distinct())
        {
            files.AddRange(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => !written.Contains(f)).Take(20000));
        }
        return string.Join('\n', files.Distinct(StringComparer.Ordinal).Where(File.Exists).Select(f => $"{f}:{new FileInfo(f).Length}:{File.GetLastWriteTimeUtc(f).Ticks}"));
    }

    /// <summary>The folder a data reference reads from: the file's folder, or a glob's fixed prefix.</summary>
    private static string DataFolder(string baseDirectory, string data)
    {
        var glob = data.IndexOfAny(['*', '?', '[']);
        var fixedPart = glob < 0 ? data : data[..glob];
        var full = Path.GetFullPath(Path.Combine(baseDirectory, fixedPart));
        return fixedPart.Length == 0 || fixedPart.EndsWith('/') || fixedPart.EndsWith('\\') ? full : Path.GetDirectoryName(full) ?? baseDirectory;
    }

    /// <summary>Files BuildImages writes: bookkeeping by name, temps by suffix, and images in the folders job outputs go to.</summary>
    private sealed class Written
    {
        private readonly HashSet<string> _files;
        private readonly List<string> _folders;
        private readonly List<string> _imageFolders;

        internal Written(BuildConfig config, string previewFolder)
        {
            _files = new HashSet<string>(
                [.. Core.Build.BookkeepingFiles.Of(config.ManifestFile), config.MetadataFile],
                StringComparer.Ordinal);
            _folders = [Folder(previewFolder), Folder(Path.Combine(config.BaseDirectory, ".buildimages"))];
            // An output pattern's fixed folder ("og/" of "og/{{slug}}") holds outputs; a pattern without one writes anywhere below outputDir.
            _imageFolders = config.Jobs.Select(j => Folder(Path.Combine(config.OutputDirectory, FixedFolder(j.Output)))).Distinct(StringComparer.Ordinal).ToList();
        }

        internal bool Contains(string file) =>
            file.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)
            || _files.Contains(file)
            || _folders.Any(f => file.StartsWith(f, StringComparison.Ordinal))
            || (OutputExtensions.Contains(Path.GetExtension(file)) && _imageFolders.Any(f => file.StartsWith(f, StringComparison.Ordinal)));

        private static string FixedFolder(string pattern)
        {
            var brace = pattern.IndexOf('{', StringComparison.Ordinal);
            var fixedPart = brace < 0 ? pattern : pattern[..brace];
            var slash = fixedPart.LastIndexOf('/');
            return slash < 0 ? string.Empty : fixedPart[..slash];
        }

        private static string Folder(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;
    }
}
