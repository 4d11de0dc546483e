using System.Reflection;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// Maps the logical library names used in <c>LibraryImport</c> declarations to the file names each
/// platform ships, so the binding never hard-codes a Linux soname.
/// </summary>
internal static class NativeLibraryNames
{
    internal const string Vips = "vips";
    internal const string Libc = "libc";

    /// <summary>
    /// Candidate file names per logical name: Linux, macOS, Windows. The C library is glibc's on most Linux, musl's on
    /// Alpine (linux-musl-x64, where no libc.so.6 exists and a bare "libc" finds nothing without musl-dev), and
    /// libSystem's on macOS (reached as libc.dylib).
    /// </summary>
    internal static IReadOnlyList<string> Candidates(string logical) => logical switch
    {
        Vips => ["libvips.so.42", "libvips.42.dylib", "libvips-42.dll"],
        Libc => ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.dylib"],
        _ => [logical],
    };

    /// <summary>The libraries bound by name here (Skia and HarfBuzz are bound by their own packages).</summary>
    internal static IReadOnlyList<string> All => [Vips];

    /// <summary>The Linux files of every native library whose version goes into the keys: libvips, Skia and HarfBuzz.</summary>
    internal static IReadOnlyList<string> VersionedLinuxFiles => [Candidates(Vips)[0], "libSkiaSharp.so", "libHarfBuzzSharp.so"];

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
