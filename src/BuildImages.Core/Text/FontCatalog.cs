namespace BuildImages.Core.Text;

/// <summary>
/// The fonts an engine draws with: the project's font folders, then the fonts shipped with BuildImages, then the
/// machine's font folders (unless system fonts are off), read by BuildImages itself from the font files (<see cref="FontSet"/>), once, when the engine is made, so
/// a font installed mid-build cannot change outputs. Shared by every worker thread.
/// </summary>
public sealed class FontCatalog
{
    /// <summary>CSS generic family names a chain may end with; they always resolve (to the first family the set has for them).</summary>
    private static readonly HashSet<string> GenericFamilies = new(StringComparer.OrdinalIgnoreCase)
    {
        "sans-serif", "sans", "serif", "monospace", "mono", "system-ui", "emoji", "cursive", "fantasy",
    };

    private readonly HashSet<string> _families;

    /// <summary>Reads the fonts; a missing font folder, or a file in it with a font's extension that is not a readable font, is an error naming it.</summary>
    /// <param name="fontFolders">The project's font folders.</param>
    /// <param name="systemFonts">False: none of the machine's fonts (golden tests pin their fonts this way, so a Debian font update cannot move a pixel).</param>
    /// <param name="shippedFonts">The folder of fonts shipped with BuildImages (<see cref="Configuration.EngineOptions.ShippedFontFolder"/>), or null.</param>
    public FontCatalog(IEnumerable<string> fontFolders, bool systemFonts = true, string? shippedFonts = null)
    {
        var project = fontFolders.Select(f => new FontFolder(f, FontOrigin.Project)).ToList();
        FontFolder[] shipped = shippedFonts is null ? [] : [new FontFolder(shippedFonts, FontOrigin.Shipped)];
        Set = FontSet.Scan([.. project, .. shipped, .. systemFonts ? FontFolder.System() : []]);
        FontFolders = [.. project.Select(f => Path.GetFullPath(f.Path))];
        _families = new HashSet<string>(Set.Faces.Select(f => f.Family), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every face, in fallback order.</summary>
    internal FontSet Set { get; }

    public IReadOnlyList<string> FontFolders { get; }

    /// <summary>Installed family names, sorted.</summary>
    public IReadOnlyList<string> Families => _families.Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Whether a family name (or a generic such as sans-serif) resolves to installed fonts.</summary>
    public bool HasFamily(string family) => GenericFamilies.Contains(family) || _families.Contains(family);

    /// <summary>The first family in a comma-separated chain that is not installed, if any.</summary>
    public string? FirstMissingFamily(string chain) =>
        SplitChain(chain).FirstOrDefault(f => !HasFamily(f));

    internal static IEnumerable<string> SplitChain(string chain) =>
        chain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.Trim('"', '\''));
}
