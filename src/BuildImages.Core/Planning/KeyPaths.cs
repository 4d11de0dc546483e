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

    /// <summary>
    /// Whether a key read from a bookkeeping file is one <see cref="ToKey"/> could have made: absolute and canonical, or
    /// relative (under "builtin/" or the config folder) without '.', '..', empty segments or backslashes. Anything else
    /// (a key planted to make a fast path hash /dev/zero, or read beside the project) is not acted on.
    /// </summary>
    public static bool IsCanonicalKey(string key)
    {
        if (key.Length == 0 || key.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        if (Path.IsPathRooted(key))
        {
            return Path.IsPathFullyQualified(key) && string.Equals(Path.GetFullPath(key), key, StringComparison.Ordinal);
        }
        return !key.Contains('\\', StringComparison.Ordinal) && key.Split('/').All(s => s.Length > 0 && s is not ("." or ".."));
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
