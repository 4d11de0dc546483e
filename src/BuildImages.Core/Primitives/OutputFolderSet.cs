namespace BuildImages.Core.Primitives;

/// <summary>
/// The folders of output paths relative to the output folder ('/' separated; the output folder itself is the empty
/// string), each once. A path whose folder is already in the set is looked up by its span and makes no string: a site
/// of a million outputs has a few folders. Not thread-safe.
/// </summary>
internal sealed class OutputFolderSet
{
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal OutputFolderSet()
    {
        _lookup = _folders.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The folders, in no set order.</summary>
    internal IReadOnlyCollection<string> Folders => _folders;

    /// <summary>Adds the folder <paramref name="relativePath"/> is in.</summary>
    internal void AddFolderOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        var folder = slash < 0 ? [] : relativePath.AsSpan(0, slash);
        if (!_lookup.Contains(folder))
        {
            _folders.Add(folder.ToString());
        }
    }

    internal void Clear() => _folders.Clear();
}
