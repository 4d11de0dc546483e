using System.Reflection;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// Maps the logical library names used in <c>LibraryImport</c> declarations to the file names each
/// platform ships, so the binding never hard-codes a Linux soname.
/// </summary>
internal static class NativeLibraryNames
{
    internal const string Cairo = "cairo";
    internal const string Pango = "pango";
    internal const string PangoCairo = "pangocairo";
    internal const string PangoFt2 = "pangoft2";
    internal const string GObject = "gobject";
    internal const string GLib = "glib";
    internal const string Fontconfig = "fontconfig";
    internal const string Rsvg = "rsvg";
    internal const string Vips = "vips";
    internal const string Libc = "libc";

    /// <summary>Candidate file names per logical name: Linux, macOS, Windows.</summary>
    internal static IReadOnlyList<string> Candidates(string logical) => logical switch
    {
        Cairo => ["libcairo.so.2", "libcairo.2.dylib", "libcairo-2.dll"],
        Pango => ["libpango-1.0.so.0", "libpango-1.0.0.dylib", "libpango-1.0-0.dll"],
        PangoCairo => ["libpangocairo-1.0.so.0", "libpangocairo-1.0.0.dylib", "libpangocairo-1.0-0.dll"],
        PangoFt2 => ["libpangoft2-1.0.so.0", "libpangoft2-1.0.0.dylib", "libpangoft2-1.0-0.dll"],
        GObject => ["libgobject-2.0.so.0", "libgobject-2.0.0.dylib", "libgobject-2.0-0.dll"],
        GLib => ["libglib-2.0.so.0", "libglib-2.0.0.dylib", "libglib-2.0-0.dll"],
        Fontconfig => ["libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"],
        Rsvg => ["librsvg-2.so.2", "librsvg-2.2.dylib", "librsvg-2-2.dll"],
        Vips => ["libvips.so.42", "libvips.42.dylib", "libvips-42.dll"],
        Libc => ["libc.so.6"],
        _ => [logical],
    };

    internal static IReadOnlyList<string> All => [Cairo, Pango, PangoCairo, PangoFt2, GObject, GLib, Fontconfig, Rsvg, Vips];

    internal static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var candidate in Candidates(libraryName))
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }
}
