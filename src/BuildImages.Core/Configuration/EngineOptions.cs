using BuildImages.Core.Templates;

namespace BuildImages.Core.Configuration;

/// <summary>Everything that configures the card engine; every front builds one of these.</summary>
public sealed record EngineOptions
{
    /// <summary>Folders holding named templates (each a folder with card.sbn or card.liquid); the built-in folder is usually last.</summary>
    public IReadOnlyList<string> TemplateRoots { get; init; } = [];

    /// <summary>Folders images may be read from; nothing outside them is read.</summary>
    public IReadOnlyList<string> AssetRoots { get; init; } = [];

    /// <summary>Project font folders added to the system fonts (TTF, OTF, WOFF, WOFF2, variable fonts).</summary>
    public IReadOnlyList<string> FontFolders { get; init; } = [];

    /// <summary>Strict mode: missing variables and uncovered code points are errors, not warnings.</summary>
    public bool Strict { get; init; }

    public TemplateOptions Templates { get; init; } = new();

    /// <summary>Whether the machine's fonts are offered beside the font folders (false pins a render to the folders' files).</summary>
    public bool SystemFonts { get; init; } = true;

    /// <summary>
    /// Whether the fonts shipped with BuildImages (Inter and Noto Color Emoji, OFL, in the built-in template folder's
    /// fonts/) are offered after the font folders and before the machine's, so the built-in templates draw Latin text
    /// and emoji on a machine with no fonts installed.
    /// </summary>
    public bool ShippedFonts { get; init; } = true;

    /// <summary>Bytes of decoded images the engine's workers share (least recently used first out); 256 MiB by default.</summary>
    public long ImageCacheBytes { get; init; } = Assets.DecodedImageCache.DefaultMaxBytes;

    /// <summary>
    /// The folder of built-in templates shipped beside the engine, if present: looked for from the engine's own
    /// assembly (an MSBuild task's folder, where the process is MSBuild's), then from the application's folder.
    /// Never the working directory.
    /// </summary>
    public static string? BuiltInTemplateFolder() => BuiltInFolder(Path.Combine("blog-post", "card.sbn"));

    /// <summary>The fonts shipped with BuildImages: the fonts/ folder of the built-in templates, if present.</summary>
    public static string? ShippedFontFolder() =>
        BuiltInFolder(Path.Combine("fonts", "Inter-Regular.otf")) is { } templates ? Path.Combine(templates, "fonts") : null;

    private static string? BuiltInFolder(string marker)
    {
        var starts = new[] { Path.GetDirectoryName(typeof(EngineOptions).Assembly.Location), AppContext.BaseDirectory }.OfType<string>().Where(s => s.Length > 0);
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "templates");
                if (File.Exists(Path.Combine(candidate, marker)))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
