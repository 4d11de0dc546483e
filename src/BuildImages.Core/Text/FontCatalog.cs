using System.Runtime.InteropServices;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Core.Text;

/// <summary>
/// A private fontconfig configuration: the system fonts plus the project's font folders, built once so a
/// font installed mid-build cannot change outputs. Shared by all workers (FcConfig is thread-safe);
/// each worker makes its own pango font map over it.
/// </summary>
public sealed class FontCatalog : IDisposable
{
    private static readonly HashSet<string> GenericFamilies = new(StringComparer.OrdinalIgnoreCase)
    {
        "sans-serif", "sans", "serif", "monospace", "mono", "system-ui", "emoji", "cursive", "fantasy",
    };

    private readonly HashSet<string> _families;

    /// <summary>Creates the catalogue; a missing font folder is an error naming it.</summary>
    /// <param name="fontFolders">The project's font folders.</param>
    /// <param name="systemFonts">False: only the font folders, none of the machine's (golden tests pin their fonts this way, so a Debian font update cannot move a pixel).</param>
    public FontCatalog(IEnumerable<string> fontFolders, bool systemFonts = true)
    {
        NativeStack.EnsureLoaded();
        Config = systemFonts ? FontconfigApi.FcInitLoadConfigAndFonts() : FontconfigApi.FcConfigCreate();
        if (Config.IsInvalid)
        {
            throw new InvalidOperationException("fontconfig could not load its configuration");
        }
        var folders = new List<string>();
        foreach (var folder in fontFolders)
        {
            var full = Path.GetFullPath(folder);
            if (!Directory.Exists(full))
            {
                Config.Dispose();
                throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font folder '{full}' does not exist", folder);
            }
            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                switch (Path.GetExtension(file).ToLowerInvariant())
                {
                    case ".woff" or ".woff2":
                        AddUnpackedWoff(file);
                        break;
                    case ".ttf" or ".otf" or ".ttc" or ".otc":
                        // fontconfig skips a file FreeType cannot read without a word; the README promises an error.
                        CheckReadable(file, file);
                        break;
                }
            }
            if (FontconfigApi.FcConfigAppFontAddDir(Config, full) == 0)
            {
                Config.Dispose();
                throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"fontconfig could not read font folder '{full}'", folder);
            }
            folders.Add(full);
        }
        FontFolders = folders;
        _families = ListFamilies();
    }

    internal FontconfigHandle Config { get; }

    /// <summary>
    /// Where unpacked WOFF fonts live, one folder for the process, removed when it exits, never while it runs: cairo
    /// keeps FreeType faces by file path in a process-wide cache that outlives the engine that added the font, and may
    /// open the file again after that engine is gone. Files are named by their content, so engines share them.
    /// </summary>
    private static readonly Lazy<string> UnpackFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("buildimages-fonts-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A temp folder left behind is harmless; failing the process's exit over it is not.
            }
        };
        return folder;
    });

    /// <summary>pango refuses .woff/.woff2 files: unpack each to an SFNT in the process's unpack folder and add that file.</summary>
    private void AddUnpackedWoff(string woff)
    {
        byte[] sfnt;
        try
        {
            var bytes = File.ReadAllBytes(woff);
            // The signature decides, not the extension: a WOFF2 saved as .woff is still read.
            sfnt = bytes.AsSpan().StartsWith("wOF2"u8) ? Woff2Decoder.ToSfnt(bytes) : WoffUnpacker.ToSfnt(bytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            Config.Dispose();
            throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font '{woff}' is not a valid {(woff.EndsWith("2", StringComparison.Ordinal) ? "WOFF2" : "WOFF")} file: {ex.Message}", woff);
        }
        var target = Path.Combine(UnpackFolder.Value, Primitives.ContentHash.Of(sfnt)[..16] + ".otf");
        if (!File.Exists(target))
        {
            // Renamed into place: another engine may have the same font open (mapped) under this name.
            Primitives.AtomicFile.Write(target, sfnt);
        }
        CheckReadable(target, woff);
        FontconfigApi.FcConfigAppFontAddFile(Config, target);
        _unpackedFrom[target] = woff;
    }

    /// <summary>A font file FreeType cannot read (empty, truncated, corrupt, or another format under a font name) is BI0402 naming it.</summary>
    private void CheckReadable(string file, string named)
    {
        var pattern = FontconfigApi.FcFreeTypeQuery(file, 0, IntPtr.Zero, out _);
        if (pattern == IntPtr.Zero)
        {
            Config.Dispose();
            throw BuildInputException.Error(DiagnosticCodes.MissingFontFolder, $"font '{named}' cannot be read as a font (empty, truncated, corrupt, or another kind of file); remove it from the font folder or replace it", named);
        }
        FontconfigApi.FcPatternDestroy(pattern);
    }

    private readonly Dictionary<string, string> _unpackedFrom = new(StringComparer.Ordinal);

    /// <summary>The project file a font file came from (the .woff behind an unpacked SFNT), for reports and keys.</summary>
    public string SourceOf(string fontFile) => _unpackedFrom.TryGetValue(fontFile, out var woff) ? woff : fontFile;

    public IReadOnlyList<string> FontFolders { get; }

    /// <summary>Installed family names, sorted.</summary>
    public IReadOnlyList<string> Families => _families.Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Whether a family name (or a generic such as sans-serif) resolves to installed fonts.</summary>
    public bool HasFamily(string family) => GenericFamilies.Contains(family) || _families.Contains(family);

    /// <summary>The first family in a comma-separated chain that is not installed, if any.</summary>
    public string? FirstMissingFamily(string chain) =>
        SplitChain(chain).FirstOrDefault(f => !HasFamily(f));

    /// <summary>
    /// The chain as pango gets it: colour-emoji families are left out, because fontconfig's emoji rules
    /// move a named emoji font to the front, where its keycap glyphs would take digits and spaces.
    /// Emoji still draw in colour through fontconfig fallback.
    /// </summary>
    internal static string PangoChain(string chain)
    {
        var kept = SplitChain(chain).Where(f => !f.Contains("emoji", StringComparison.OrdinalIgnoreCase)).ToList();
        return kept.Count == 0 ? "sans-serif" : string.Join(",", kept);
    }

    internal static IEnumerable<string> SplitChain(string chain) =>
        chain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.Trim('"', '\''));

    /// <summary>Makes a pango font map over this configuration, one per worker thread.</summary>
    internal GObjectHandle CreateFontMap()
    {
        var map = PangoApi.pango_cairo_font_map_new();
        PangoApi.pango_fc_font_map_set_config(map, Config);
        return map;
    }

    private HashSet<string> ListFamilies()
    {
        using var map = CreateFontMap();
        PangoApi.pango_font_map_list_families(map, out var families, out var count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            var family = Marshal.ReadIntPtr(families, i * IntPtr.Size);
            if (Marshal.PtrToStringUTF8(PangoApi.pango_font_family_get_name(family)) is { } name)
            {
                names.Add(name);
            }
        }
        GObjectApi.g_free(families);
        return names;
    }

    public void Dispose() => Config.Dispose();
}
