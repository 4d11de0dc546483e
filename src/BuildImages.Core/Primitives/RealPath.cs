namespace BuildImages.Core.Primitives;

/// <summary>
/// Resolves symbolic links in a path as the operating system would (realpath(3)): a link's target replaces it,
/// and '..' after a link goes to the parent of the link's target, not of the link. The part of the path that
/// does not exist yet is kept as written (BuildImages creates it as plain folders).
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    /// <summary>The resolved absolute path, or null when links loop or nest deeper than the system allows.</summary>
    internal static string? Of(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Segments(full[current.Length..]).Reverse());
        var links = 0;
        var missing = false;
        while (pending.TryPop(out var segment))
        {
            if (segment is "." or "")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, segment);
            if (!missing && new FileInfo(next) is { LinkTarget: { } target })
            {
                if (++links > MaxLinks)
                {
                    return null;
                }
                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target)!;
                    target = target[current.Length..];
                }
                foreach (var part in Segments(target).Reverse())
                {
                    pending.Push(part);
                }
                continue;
            }
            // Below a folder that does not exist nothing can be a link yet.
            missing = missing || !Path.Exists(next);
            current = next;
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or inside it (both resolved).</summary>
    internal static bool IsInside(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(folder);
        return path.Length == root.Length ? string.Equals(path, root, StringComparison.Ordinal)
            : path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal) && (path[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar));
    }

    private static string[] Segments(string path) => path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
