using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// Loads the native imaging stack once per process and fails with one message that names every
/// missing library and the command that installs it.
/// </summary>
public static class NativeStack
{
    private static readonly Lazy<NativeVersions> Loaded = new(LoadAll, LazyThreadSafetyMode.ExecutionAndPublication);

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be in place before any LibraryImport runs.")]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeStack).Assembly, NativeLibraryNames.Resolve);

    /// <summary>Versions of the loaded native libraries (part of every cache key).</summary>
    public static NativeVersions Versions => Loaded.Value;

    /// <summary>Whether anything in this process has loaded the native stack (a no-op build must not).</summary>
    public static bool IsLoaded => Loaded.IsValueCreated;

    /// <summary>Ensures the stack is loaded and initialised; throws <see cref="NativeDependencyException"/> otherwise.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static NativeVersions LoadAll()
    {
        var missing = new List<string>();
        foreach (var logical in NativeLibraryNames.All)
        {
            if (NativeLibraryNames.Resolve(logical, typeof(NativeStack).Assembly, null) == IntPtr.Zero)
            {
                missing.Add($"{logical} ({string.Join(" / ", NativeLibraryNames.Candidates(logical))})");
            }
        }
        if (missing.Count > 0)
        {
            throw new NativeDependencyException(missing);
        }
        var vips = VipsRuntime.Initialise();
        // The first g_ascii_strtod in a process creates GLib's C locale, which can leave errno set; pango's markup
        // parser then reads that errno and rejects the first line_height it parses. Take that first call here.
        _ = GObjectApi.g_ascii_strtod("1.5", IntPtr.Zero);
        return new NativeVersions(
            Cairo: Marshal.PtrToStringUTF8(CairoApi.cairo_version_string()) ?? "?",
            Pango: Marshal.PtrToStringUTF8(PangoApi.pango_version_string()) ?? "?",
            Vips: vips,
            Rsvg: $"{RsvgApi.ReadVersion()}",
            Fontconfig: FontconfigApi.FcGetVersion().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static string InstallHint =>
        """
        Install the native imaging stack:
          Debian/Ubuntu: sudo apt-get install libvips42 libpangocairo-1.0-0 librsvg2-2 fontconfig
          Fedora:        sudo dnf install vips pango cairo librsvg2 fontconfig
          Alpine:        apk add vips pango cairo librsvg fontconfig
          macOS:         brew install vips pango cairo librsvg fontconfig
          Windows:       install the libvips "all" build and GTK runtime (pango, cairo, librsvg) and put their bin folders on PATH
        (or run build/install-native-deps.sh, which does it on Debian/Ubuntu)
        """;
}

/// <summary>Versions of the native libraries that decide output bytes.</summary>
public sealed record NativeVersions(string Cairo, string Pango, string Vips, string Rsvg, string Fontconfig)
{
    public override string ToString() => $"cairo {Cairo}; pango {Pango}; vips {Vips}; rsvg {Rsvg}; fontconfig {Fontconfig}";
}

/// <summary>A native library BuildImages needs is not installed.</summary>
public sealed class NativeDependencyException(IReadOnlyList<string> missing)
    : Exception("BuildImages needs native libraries that are not installed: " + string.Join(", ", missing) + Environment.NewLine + NativeStack.InstallHint)
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
