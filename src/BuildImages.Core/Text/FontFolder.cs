namespace BuildImages.Core.Text;

/// <summary>A folder of fonts and where it comes from: the project's and the configured ones must exist and hold only fonts; the machine's are taken as found.</summary>
/// <param name="Path">The folder (searched with its subfolders).</param>
/// <param name="Origin">Who put it there.</param>
internal sealed record FontFolder(string Path, FontOrigin Origin)
{
    /// <summary>The usual font folders of this OS, those that exist, in the order fallback tries them.</summary>
    internal static IReadOnlyList<FontFolder> System()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders = OperatingSystem.IsWindows()
            ? [global::System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts"), global::System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Microsoft", "Windows", "Fonts")]
            : OperatingSystem.IsMacOS()
            ? ["/System/Library/Fonts", "/Library/Fonts", global::System.IO.Path.Combine(home, "Library", "Fonts")]
            : ["/usr/share/fonts", "/usr/local/share/fonts", global::System.IO.Path.Combine(home, ".local", "share", "fonts"), global::System.IO.Path.Combine(home, ".fonts")];
        return [.. folders.Where(f => f.Length > 1 && Directory.Exists(f)).Select(f => new FontFolder(f, FontOrigin.System))];
    }
}

/// <summary>Where a font folder comes from; fallback tries them in this order.</summary>
internal enum FontOrigin
{
    /// <summary>The project's own font folder.</summary>
    Project,

    /// <summary>A folder the configuration names.</summary>
    Configured,

    /// <summary>The fonts shipped with BuildImages.</summary>
    Shipped,

    /// <summary>The machine's font folders.</summary>
    System,
}
