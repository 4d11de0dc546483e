namespace BuildImages.Core.Planning;

/// <summary>
/// Paths as keys and the manifest record them: relative to the config folder when inside it, "builtin/…" for
/// built-in templates, absolute otherwise (system fonts). A clone in another folder keeps its keys.
/// </summary>
public sealed class KeyPaths(string baseDirectory, string? builtInTemplates)
{
    private const string BuiltInPrefix = "builtin/";
    private readonly string _base = Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseDirectory)) + Path.DirectorySeparatorChar;
    private readonly string? _builtIn = builtInTemplates is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(builtInTemplates)) + Path.DirectorySeparatorChar;

    public string ToKey(string fullPath)
    {
        if (_builtIn is not null && fullPath.StartsWith(_builtIn, StringComparison.Ordinal))
        {
            return BuiltInPrefix + fullPath[_builtIn.Length..].Replace('\\', '/');
        }
        return fullPath.StartsWith(_base, StringComparison.Ordinal) ? fullPath[_base.Length..].Replace('\\', '/') : fullPath;
    }

    public string ToFull(string key)
    {
        if (key.StartsWith(BuiltInPrefix, StringComparison.Ordinal) && _builtIn is not null)
        {
            return Path.Combine(_builtIn, key[BuiltInPrefix.Length..]);
        }
        return Path.IsPathRooted(key) ? key : Path.Combine(_base, key);
    }
}
