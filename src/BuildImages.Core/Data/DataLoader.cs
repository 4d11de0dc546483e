using BuildImages.Core.Diagnostics;
using Microsoft.Extensions.FileSystemGlobbing;

namespace BuildImages.Core.Data;

/// <summary>
/// Loads items from a data reference relative to a base folder: a JSON file (an array, or an object with an items path
/// naming the array), YAML, CSV with a header row, or a glob of Markdown files
/// with YAML front matter. Syntax errors carry file, line and column.
/// </summary>
public static class DataLoader
{
    /// <summary>The files a data reference names: the file itself, or a glob's matches in ordinal order.</summary>
    public static IReadOnlyList<string> SourceFiles(string reference, string baseDirectory) => SourceFiles(reference, baseDirectory, listings: null);

    /// <summary>As <see cref="SourceFiles(string, string)"/>, adding every folder a glob reads to <paramref name="listings"/>.</summary>
    internal static IReadOnlyList<string> SourceFiles(string reference, string baseDirectory, FolderListings? listings) =>
        IsGlob(reference) ? Glob(reference, baseDirectory, listings) : [Path.GetFullPath(Path.Combine(baseDirectory, reference))];

    public static IReadOnlyList<DataItem> Load(string reference, string baseDirectory, string? itemsPath = null)
    {
        var loaded = LoadEach(reference, baseDirectory, itemsPath);
        return loaded.Failures.Count > 0 ? throw BuildInputException.For(loaded.Failures[0].Error) : loaded.Items;
    }

    /// <summary>
    /// Loads every file the reference names, each on its own: a file that is missing, unreadable or malformed is a
    /// failure (with file, line and column) and the other files' items still load.
    /// </summary>
    public static DataLoadResult LoadEach(string reference, string baseDirectory, string? itemsPath = null)
    {
        var items = new ItemList();
        var (files, failures) = ReadEach(reference, baseDirectory, itemsPath, items);
        return new DataLoadResult(files, items.Items, failures);
    }

    /// <summary>
    /// As <see cref="LoadEach(string, string, string?)"/>, handing each file's items to <paramref name="sink"/> as they
    /// are read (a JSON root array a block at a time) instead of holding them all.
    /// </summary>
    internal static (IReadOnlyList<string> Files, IReadOnlyList<DataFileFailure> Failures) ReadEach(string reference, string baseDirectory, string? itemsPath, IItemSink sink)
    {
        var files = SourceFiles(reference, baseDirectory);
        var failures = new List<DataFileFailure>();
        var ahead = new MarkdownReadAhead(files, itemsPath, enabled: IsGlob(reference));
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            sink.StartFile();
            try
            {
                if (!IsGlob(reference) && !File.Exists(file))
                {
                    throw BuildInputException.Error(DiagnosticCodes.DataNotFound, $"data file '{reference}' does not exist{NearbyFile(reference, file)}", reference);
                }
                if (ahead.Take(f) is { } read)
                {
                    read.Error?.Throw();
                    sink.Take(read.Items!);
                }
                else
                {
                    Read(file, itemsPath, sink.Take);
                }
            }
            catch (BuildInputException ex)
            {
                sink.DropFile();
                failures.Add(new DataFileFailure(file, ex.Diagnostic));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                sink.DropFile();
                failures.Add(new DataFileFailure(file, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.DataNotFound, $"data file could not be read: {ex.Message}", file)));
            }
        }
        return (files, failures);
    }

    private static void Read(string file, string? itemsPath, Action<IReadOnlyList<DataItem>> take)
    {
        if (Native.FileKind.IsSpecial(file))
        {
            throw BuildInputException.Error(DiagnosticCodes.DataNotFound, "the data file is not a regular file (a pipe, a socket or a device)", file);
        }
        switch (Path.GetExtension(file).ToLowerInvariant())
        {
            case ".json":
                JsonItemStream.Read(file, itemsPath, take);
                break;
            case ".yaml" or ".yml":
                YamlItemStream.Read(file, itemsPath, take);
                break;
            case ".csv":
                CsvItemReader.Read(file, take);
                break;
            case ".md" or ".markdown":
                take([MarkdownItemReader.Read(file, Primitives.Utf8Text.Read(file, DiagnosticCodes.DataSyntax))]);
                break;
            case var ext:
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"data file '{file}' has an extension ({ext}) BuildImages does not read; use .json, .yaml, .csv or .md", file);
        }
    }

    /// <summary>
    /// The Markdown files of a glob, read and parsed ahead on every core a window at a time, and handed over in file
    /// order. A folder of posts is a file per item, each parsed alone (its front matter by YamlDotNet, its excerpt by
    /// Markdig): one at a time on the planning thread that was about 200 µs a file, 20 s for 100,000 posts. A file gives
    /// exactly what reading it in its turn would: its item, or what reading it threw, thrown in its turn.
    /// </summary>
    private sealed class MarkdownReadAhead(IReadOnlyList<string> files, string? itemsPath, bool enabled)
    {
        private const int Window = 256;
        private ReadFile?[] _window = [];
        private int _start;

        /// <summary>What reading file <paramref name="index"/> gave, when it is a Markdown file read ahead; else null (read it now).</summary>
        internal ReadFile? Take(int index)
        {
            if (!enabled || !IsMarkdown(files[index]))
            {
                return null;
            }
            if (index < _start || index >= _start + _window.Length)
            {
                Fill(index);
            }
            var read = _window[index - _start];
            _window[index - _start] = null;
            return read;
        }

        private void Fill(int from)
        {
            var window = new ReadFile?[Math.Min(Window, files.Count - from)];
            Parallel.For(0, window.Length, i =>
            {
                if (IsMarkdown(files[from + i]))
                {
                    window[i] = ReadOne(files[from + i]);
                }
            });
            (_window, _start) = (window, from);
        }

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "Whatever reading a file throws is thrown again in its turn, as reading it then would.")]
        private ReadFile ReadOne(string file)
        {
            try
            {
                IReadOnlyList<DataItem>? items = null;
                Read(file, itemsPath, taken => items = taken);
                return new ReadFile(items, null);
            }
            catch (Exception ex)
            {
                return new ReadFile(null, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex));
            }
        }

        private static bool IsMarkdown(string file) =>
            file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A file read ahead: its items, or what reading it threw.</summary>
    private sealed record ReadFile(IReadOnlyList<DataItem>? Items, System.Runtime.ExceptionServices.ExceptionDispatchInfo? Error);

    /// <summary>The items of every file, held: what <see cref="LoadEach(string, string, string?)"/> returns.</summary>
    private sealed class ItemList : IItemSink
    {
        private int _fileStart;

        internal List<DataItem> Items { get; } = [];

        public void StartFile() => _fileStart = Items.Count;

        public void Take(IReadOnlyList<DataItem> items) => Items.AddRange(items);

        public void DropFile() => Items.RemoveRange(_fileStart, Items.Count - _fileStart);
    }

    /// <summary>Items from JSON text that did not come from a data file (stdin): an object is one item, an array several.</summary>
    public static IReadOnlyList<DataItem> ReadJson(string name, string text) => JsonItemReader.Read(name, text, itemsPath: null, objectIsItem: true);

    /// <summary>"; did you mean …?" among the files of the folder the reference names (a typo in a file name).</summary>
    private static string NearbyFile(string reference, string full)
    {
        var folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            return string.Empty;
        }
        var near = NearestName.Of(Path.GetFileName(full), Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>());
        var slash = reference.Replace('\\', '/').LastIndexOf('/');
        return near is null ? string.Empty : $"; did you mean '{(slash < 0 ? string.Empty : reference[..(slash + 1)])}{near}'?";
    }

    private static bool IsGlob(string reference) => reference.IndexOfAny(['*', '?', '[', '{']) >= 0;

    /// <summary>Every file the glob matches, in ordinal path order; brace groups (<c>*.{md,markdown}</c>, nested too) are expanded first, as shells do.</summary>
    private static IReadOnlyList<string> Glob(string pattern, string baseDirectory, FolderListings? listings)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var expanded in Braces(pattern.Replace('\\', '/')))
        {
            matcher.AddInclude(expanded);
        }
        // What Matcher.GetResultsInFullPath does, through folders that list what the glob reads (kept when asked for).
        // Each full path goes straight into a pool (each once: two brace alternatives may match one file), then the ids
        // are sorted by path: never a list of a million path strings beside the matcher's own results.
        var pool = new Primitives.PathPool();
        foreach (var match in matcher.Execute((listings ?? new FolderListings()).Root(baseDirectory)).Files)
        {
            pool.Add(Path.GetFullPath(Path.Combine(baseDirectory, match.Path)));
        }
        var order = pool.SortedRange(0, pool.Count);
        return order.Length < PooledFrom ? [.. order.Select(pool.PathOf)] : new PooledPaths(pool, order);
    }

    /// <summary>Matches from which a glob's list is kept in a <see cref="Primitives.PathPool"/> rather than as strings.</summary>
    private const int PooledFrom = 4096;

    /// <summary>
    /// A glob's matches, each held as the bytes it does not share with the one added before it (a string made when one
    /// is asked for), in path order. A folder of a million posts is planned a file at a time while its list is held,
    /// beside the manifest being read: as strings, the list was 92 MB of a million-post edit's peak (a heap dump).
    /// </summary>
    private sealed class PooledPaths(Primitives.PathPool paths, int[] order) : IReadOnlyList<string>
    {
        public int Count => order.Length;

        public string this[int index] => (uint)index < (uint)order.Length ? paths.PathOf(order[index]) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var id in order)
            {
                yield return paths.PathOf(id);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>"a/{b,c{d,e}}/*.md" → a/b/*.md, a/cd/*.md, a/ce/*.md. Unbalanced braces are left as they are.</summary>
    internal static IEnumerable<string> Braces(string pattern)
    {
        var open = pattern.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return [pattern];
        }
        var depth = 0;
        var parts = new List<string>();
        var start = open + 1;
        for (var i = open; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '{':
                    depth++;
                    break;
                case ',' when depth == 1:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
                case '}' when --depth == 0:
                    parts.Add(pattern[start..i]);
                    var (prefix, suffix) = (pattern[..open], pattern[(i + 1)..]);
                    return parts.SelectMany(p => Braces(prefix + p + suffix));
            }
        }
        return [pattern];
    }

    /// <summary>Follows a dotted path ("data.posts") into nested dictionaries.</summary>
    internal static object? Follow(object? root, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return root;
        }
        foreach (var part in path.Split('.'))
        {
            root = root is IReadOnlyDictionary<string, object?> d && d.TryGetValue(part, out var next) ? next : null;
        }
        return root;
    }

    internal static List<DataItem> FromList(string file, object? root, string? itemsPath, Func<int, int> lineOf)
    {
        var list = Follow(root, itemsPath) as List<object?>;
        if (list is null)
        {
            var what = itemsPath is null ? "an array of items (or set the items path)" : $"an array at '{itemsPath}'";
            throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"data file must hold {what}", file);
        }
        var items = new List<DataItem>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not IReadOnlyDictionary<string, object?> fields)
            {
                throw BuildInputException.Error(DiagnosticCodes.DataSyntax, $"item {i + 1} is not an object", file, lineOf(i));
            }
            items.Add(new DataItem(file, lineOf(i), IdOf(fields, i), fields));
        }
        return items;
    }

    /// <summary>
    /// The error of a data file read a block at a time whose later blocks disagree with its earlier ones (an editor that
    /// writes the file in place while it is read): neither reading is the file's.
    /// </summary>
    internal static BuildInputException ChangedWhileRead(string file) =>
        BuildInputException.Error(DiagnosticCodes.DataSyntax, "the data file changed while it was read; build again once it is saved", file);

    /// <summary>An item's id: its non-empty 'slug', else its 1-based place in its file.</summary>
    internal static string IdOf(IReadOnlyDictionary<string, object?> fields, int index) =>
        fields.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? s : (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
