using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Text;

/// <summary>
/// The fonts a build draws with, read from font files by BuildImages itself (<see cref="FontFileReader"/>), not from the
/// OS: the same files give the same faces, the same matches and the same fallbacks on every machine. Folders are
/// scanned in the order given (project, configured, shipped, system), each in ordinal path order, and that order is
/// the fallback chain: no font installed later, and no OS setting, can change which face draws a character.
/// </summary>
internal sealed class FontSet
{
    /// <summary>CSS generic families, as the families tried for them in turn (the first one the set has is used).</summary>
    private static readonly Dictionary<string, string[]> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sans-serif"] = ["Noto Sans", "Inter", "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI"],
        ["system-ui"] = ["Noto Sans", "Inter", "DejaVu Sans", "Segoe UI", "Helvetica"],
        ["serif"] = ["Noto Serif", "DejaVu Serif", "Liberation Serif", "Times New Roman", "Times"],
        ["monospace"] = ["Noto Sans Mono", "DejaVu Sans Mono", "Liberation Mono", "Consolas", "Menlo"],
    };

    private readonly FontFace[] _faces;
    private readonly Dictionary<string, FontFace[]> _byFamily;
    private readonly FontFace[][] _chain;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Families, int Weight, FontSlant Slant), FontFace[]> _candidates = new();

    private FontSet(FontFace[] faces)
    {
        _faces = faces;
        var families = faces.GroupBy(f => f.Family, StringComparer.OrdinalIgnoreCase).ToArray();
        _byFamily = families.ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _chain = [.. families.Select(g => g.ToArray())];
    }

    /// <summary>Every face, in fallback order.</summary>
    internal IReadOnlyList<FontFace> Faces => _faces;

    /// <summary>
    /// Reads every font in <paramref name="folders"/>. A project or configured folder that is missing, or holds a file
    /// with a font's extension that is not a readable font, is an error naming it; the machine's folders are taken as
    /// found (a broken system font is skipped).
    /// </summary>
    internal static FontSet Scan(IEnumerable<FontFolder> folders)
    {
        var files = new List<(string File, bool Strict)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var strict = folder.Origin is FontOrigin.Project or FontOrigin.Configured;
            var full = Path.GetFullPath(folder.Path);
            if (!Directory.Exists(full))
            {
                if (strict)
                {
                    throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font folder '{full}' does not exist", folder.Path);
                }
                continue;
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = !strict, MaxRecursionDepth = 16 };
            files.AddRange(Directory.EnumerateFiles(full, "*", options).Order(StringComparer.Ordinal).Where(f => IsFontName(f) && seen.Add(f)).Select(f => (f, strict)));
        }
        // Every engine reads its fonts before its first card, while the other cores wait: the files are read in
        // parallel and their faces taken in the order above. A strict folder's bad file fails the scan before anything
        // after it is read (a project's broken font never costs a read of the machine's 160 MB of fonts).
        var faces = new List<FontFace>();
        for (var from = 0; from < files.Count;)
        {
            var to = from;
            while (to < files.Count && files[to].Strict == files[from].Strict)
            {
                to++;
            }
            faces.AddRange(ReadInOrder(files[from..to]));
            from = to;
        }
        return new FontSet([.. faces]);
    }

    /// <summary>The faces of <paramref name="files"/> (read in parallel) in their order; a strict file that is not a font throws, naming it.</summary>
    private static List<FontFace> ReadInOrder(List<(string File, bool Strict)> files)
    {
        var read = new (IReadOnlyList<FontFace>? Faces, Exception? Error)[files.Count];
        // A few files (a project's folder, as a rule) are read on this thread: not worth the pool's threads.
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = files.Count < 8 ? 1 : -1 }, i =>
        {
            try
            {
                read[i] = (FontFileReader.Read(files[i].File), null);
            }
            catch (Exception ex)
            {
                // Kept for the ordered pass below, which reports a bad file or rethrows anything else as it was thrown.
                read[i] = (null, ex);
            }
        });
        var faces = new List<FontFace>();
        for (var i = 0; i < files.Count; i++)
        {
            if (read[i].Error is { } ex)
            {
                if (ex is not (InvalidDataException or IOException or UnauthorizedAccessException))
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
                }
                if (files[i].Strict)
                {
                    throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font '{files[i].File}' cannot be read as a font ({ex.Message}); remove it from the font folder or replace it", files[i].File);
                }
                continue;
            }
            faces.AddRange(read[i].Faces!);
        }
        return faces;
    }

    /// <summary>
    /// The face of <paramref name="family"/> (a name or a CSS generic family) CSS font matching picks for a weight,
    /// slant and width (CSS Fonts 4, §5.2: width first, then slant, then weight; a variable font's range counts as
    /// every weight in it); null when the set has no such family.
    /// </summary>
    internal FontFace? Match(string family, int weight = 400, FontSlant slant = FontSlant.Upright, int width = 5)
    {
        if (Generic.TryGetValue(family, out var names))
        {
            return names.Select(n => Match(n, weight, slant, width)).FirstOrDefault(f => f is not null);
        }
        return _byFamily.TryGetValue(family, out var faces) ? Best(faces, weight, slant, width) : null;
    }

    /// <summary>
    /// The face that draws a grapheme cluster (its code points): the first, in the order of <paramref name="families"/>
    /// and then of the whole set, whose character map covers every code point of the cluster that is not default
    /// ignorable, so a cluster is never split across fonts. A colour (emoji) face draws a cluster shown as emoji before
    /// any other, and never draws what is not a pictograph, flag or keycap (its spaces are wide, its letters wrong).
    /// Null when no face covers the cluster (the caller reports it: never silent tofu).
    /// </summary>
    internal FontFace? ForCluster(ReadOnlySpan<int> cluster, IReadOnlyList<string> families, int weight = 400, FontSlant slant = FontSlant.Upright)
    {
        var needed = new List<int>(cluster.Length);
        foreach (var c in cluster)
        {
            if (!FallbackData.IsDefaultIgnorable(c))
            {
                needed.Add(c);
            }
        }
        var emoji = FallbackData.IsEmojiCluster(cluster);
        var mayBeColor = emoji || FallbackData.MayBeEmoji(cluster);
        FontFace? firstPlain = null, firstColor = null;
        foreach (var face in Candidates(families, weight, slant))
        {
            if (!needed.TrueForAll(face.Coverage.Contains))
            {
                continue;
            }
            if (face.IsColor)
            {
                if (emoji)
                {
                    return face;
                }
                firstColor ??= mayBeColor ? face : null;
            }
            else if (!emoji)
            {
                return face;
            }
            else
            {
                firstPlain ??= face;
            }
        }
        // An emoji no colour face has is drawn in a plain one; a pictograph no plain face has, in a colour one.
        return emoji ? firstPlain : firstColor;
    }

    /// <summary>The requested families' matches, then every other family's match, in set order; kept per request, as every cluster of a text asks the same.</summary>
    private FontFace[] Candidates(IReadOnlyList<string> families, int weight, FontSlant slant) =>
        _candidates.GetOrAdd((string.Join('\n', families), weight, slant), _ =>
        {
            var tried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = new List<FontFace>();
            foreach (var family in families)
            {
                if (Match(family, weight, slant) is { } face && tried.Add(face.Family))
                {
                    list.Add(face);
                }
            }
            foreach (var faces in _chain)
            {
                if (tried.Add(faces[0].Family) && Best(faces, weight, slant, 5) is { } face)
                {
                    list.Add(face);
                }
            }
            return [.. list];
        });

    private static FontFace? Best(FontFace[] faces, int weight, FontSlant slant, int width)
    {
        // Width: the nearest, narrower first when normal or narrower is asked for, wider first otherwise.
        var widths = faces.Select(f => f.Width).Distinct().ToArray();
        var chosenWidth = widths.OrderBy(w => WidthRank(w, width)).First();
        var byWidth = faces.Where(f => f.Width == chosenWidth).ToArray();
        // Slant: italic → oblique → upright; oblique → italic → upright; upright → oblique → italic.
        FontSlant[] order = slant switch
        {
            FontSlant.Italic => [FontSlant.Italic, FontSlant.Oblique, FontSlant.Upright],
            FontSlant.Oblique => [FontSlant.Oblique, FontSlant.Italic, FontSlant.Upright],
            _ => [FontSlant.Upright, FontSlant.Oblique, FontSlant.Italic],
        };
        var bySlant = order.Select(s => byWidth.Where(f => f.Slant == s).ToArray()).First(g => g.Length > 0);
        // Weight: stable, so equal ranks keep the set's order (the project's font before the system's).
        return bySlant.OrderBy(f => WeightRank(f.WeightRange, weight)).First();
    }

    private static (int Group, int Distance) WidthRank(int candidate, int wanted) =>
        candidate == wanted ? (0, 0)
        : wanted <= 5 ? (candidate < wanted ? (1, wanted - candidate) : (2, candidate - wanted))
        : (candidate > wanted ? (1, candidate - wanted) : (2, wanted - candidate));

    /// <summary>CSS Fonts 4's weight order as a sort key: inside the range first, then the spec's groups, nearest first.</summary>
    private static (int Group, int Distance) WeightRank((int Min, int Max) range, int wanted)
    {
        if (range.Min <= wanted && wanted <= range.Max)
        {
            return (0, 0);
        }
        var above = range.Min > wanted;
        var distance = above ? range.Min - wanted : wanted - range.Max;
        if (wanted is >= 400 and <= 500)
        {
            // Heavier up to 500, then lighter, then heavier past 500.
            return above ? (range.Min <= 500 ? (1, distance) : (3, distance)) : (2, distance);
        }
        // Below 400 lighter first; above 500 heavier first.
        return wanted < 400 ? (above ? (2, distance) : (1, distance)) : (above ? (1, distance) : (2, distance));
    }

    private static bool IsFontName(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".ttf" or ".otf" or ".ttc" or ".otc" or ".woff" or ".woff2";
}
